using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Workbench.Onnx.Tests;

/// <summary>Runs an ONNX model with ONNX Runtime on named float, int32 and int64 inputs and returns every output.</summary>
internal static class OnnxRuntimeRunner
{
    public static Dictionary<string, (float[] Data, int[] Shape)> Run(byte[] model, IEnumerable<NamedOnnxValue> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var results = session.Run(inputs.ToList());
        var outputs = new Dictionary<string, (float[], int[])>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            var tensor = result.AsTensor<float>();
            outputs[result.Name] = (tensor.ToArray(), tensor.Dimensions.ToArray());
        }
        return outputs;
    }

    public static NamedOnnxValue Floats(string name, float[] data, params int[] shape) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, shape));

    public static NamedOnnxValue Int32s(string name, int[] data) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(data, [data.Length]));

    public static NamedOnnxValue Int64s(string name, long[] data, params int[] shape) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(data, shape));
}
