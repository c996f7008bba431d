using Workbench.Numerics;

namespace Workbench.Core.Tests.Numerics;

[Collection(AllocationMeasurements.Name)]
public class GemmAllocationTests
{
    [Fact]
    public void WarmProductsAllocateNothing()
    {
        var a = GemmTests.Filled<float>(256 * 300, 1);
        var b = GemmTests.Filled<float>(300 * 512, 2);
        var c = new float[256 * 512];
        var small = new float[96];
        void Products()
        {
            Gemm.MultiplyWith(false, true, 256, 512, 300, 1f, a, 300, b, 300, 0f, c, 512, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
            Gemm.MultiplyWith(true, false, 256, 512, 300, 1f, a, 256, b, 512, 1f, c, 512, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
            Gemm.MultiplyWith(false, false, 1, 96, 32, 1f, a, 32, b, 96, 0f, small, 96, GemmBackend.Managed, 2, ManagedGemm.BestKernel);
        }
        // Warm up single-threaded too: a caller that finds the pool busy runs every part itself and needs full-size buffers.
        Products();
        Gemm.MultiplyWith(false, true, 256, 512, 300, 1f, a, 300, b, 300, 0f, c, 512, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        Gemm.MultiplyWith(true, false, 256, 512, 300, 1f, a, 256, b, 512, 1f, c, 512, GemmBackend.Managed, 1, ManagedGemm.BestKernel);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) Products();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
