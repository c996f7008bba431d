namespace Workbench.Notebooks.Languages.Jupyter;

/// <summary>
/// The Python half of value sharing, sent once (silently) after a Python kernel connects. It lives in the module
/// <c>_workbench_values</c> (so it adds no names to the user's namespace) and speaks the envelope of
/// <see cref="WireValue"/>: JSON, with <c>{"$ndarray": {dtype, shape, data}}</c> for arrays (data = base64 of the
/// little-endian bytes), <c>{"$float": "nan"|"inf"|"-inf"}</c> for non-finite scalars and
/// <c>{"$dataframe": {columns: [{name, data}]}}</c> for data frames.
/// </summary>
internal static class PythonValueHelper
{
    /// <summary>The MIME type of the display_data that carries a value back to .NET.</summary>
    public const string MimeType = "application/vnd.workbench.value+json";

    /// <summary>The module's name in sys.modules.</summary>
    public const string Module = "_workbench_values";

    /// <summary>Code that installs the module.</summary>
    public static string InstallCode => $"""
        import sys as _wb_sys, types as _wb_types
        _wb_m = _wb_types.ModuleType({Quote(Module)})
        exec({Quote(Source)}, _wb_m.__dict__)
        _wb_sys.modules[{Quote(Module)}] = _wb_m
        del _wb_sys, _wb_types, _wb_m
        """;

    /// <summary>The execute_request content field that carries the envelope of a value being set.</summary>
    public const string ValueField = "workbench_value";

    /// <summary>
    /// An expression that sets <paramref name="name"/> from the envelope in the <see cref="ValueField"/> field of the
    /// request that runs it: the value arrives as part of the message, already parsed by the kernel, never as source
    /// code that Python would have to compile (a 10^6-element array is a 5 MB literal).
    /// </summary>
    public static string SetFromRequestCode(string name) => $"__import__({Quote(Module)}).set_from_request({Quote(name)}, {Quote(ValueField)})";

    /// <summary>Code that publishes the value of <paramref name="name"/> as display data of <see cref="MimeType"/>.</summary>
    public static string GetCode(string name) => $"__import__({Quote(Module)}).get_value({Quote(name)})";

    /// <summary>Code that publishes the user's variables (name, type, short text).</summary>
    public static string VariablesCode => $"__import__({Quote(Module)}).variables()";

    /// <summary>A Python string literal of any text (JSON string escapes are valid Python escapes).</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private const string Source = """
        import base64, json, math, sys

        MIME = 'application/vnd.workbench.value+json'
        DTYPES = ('float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool')

        def _type_name(v):
            t = type(v)
            return t.__qualname__ if t.__module__ == 'builtins' else t.__module__ + '.' + t.__qualname__

        def _array(a):
            import numpy as np
            name = a.dtype.name
            if name not in DTYPES:
                raise TypeError('a numpy array of dtype %s cannot cross (%s)' % (name, ', '.join(DTYPES)))
            le = np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<'), copy=False)
            return {'$ndarray': {'dtype': name, 'shape': list(a.shape), 'data': base64.b64encode(le.tobytes()).decode('ascii')}}

        def encode(v):
            if v is None or isinstance(v, (bool, str, int)):
                return v
            if isinstance(v, float):
                if math.isfinite(v):
                    return v
                return {'$float': 'nan' if v != v else ('inf' if v > 0 else '-inf')}
            torch = sys.modules.get('torch')
            if torch is not None and isinstance(v, torch.Tensor):
                return _array(v.detach().cpu().numpy())
            np = sys.modules.get('numpy')
            if np is not None:
                if isinstance(v, np.ndarray):
                    return _array(v)
                if isinstance(v, np.generic):
                    return encode(v.item())
            pd = sys.modules.get('pandas')
            if pd is not None and isinstance(v, pd.DataFrame):
                return {'$dataframe': {'columns': [{'name': str(c), 'data': encode(v[c].to_numpy() if v[c].dtype != object else list(v[c]))} for c in v.columns]}}
            if isinstance(v, dict):
                out = {}
                for k, x in v.items():
                    if not isinstance(k, str):
                        raise TypeError('a dict key of type %s cannot cross (keys must be str)' % _type_name(k))
                    out[k] = encode(x)
                return out
            if isinstance(v, (list, tuple)):
                return [encode(x) for x in v]
            raise TypeError('a %s has no JSON form' % _type_name(v))

        def decode(v):
            if isinstance(v, list):
                return [decode(x) for x in v]
            if isinstance(v, dict):
                if len(v) == 1 and '$ndarray' in v:
                    import numpy as np
                    d = v['$ndarray']
                    le = np.dtype(d['dtype']).newbyteorder('<')
                    a = np.frombuffer(base64.b64decode(d['data']), dtype=le).reshape(d['shape'])
                    return a.astype(np.dtype(d['dtype']))
                if len(v) == 1 and '$float' in v:
                    return float(v['$float'])
                if len(v) == 1 and '$dataframe' in v:
                    cols = {c['name']: decode(c['data']) for c in v['$dataframe']['columns']}
                    try:
                        import pandas as pd
                    except ImportError:
                        return cols
                    return pd.DataFrame(cols)
                return {k: decode(x) for k, x in v.items()}
            return v

        def _ns():
            from IPython import get_ipython
            return get_ipython().user_ns

        def _publish(content):
            from IPython.display import publish_display_data
            publish_display_data({MIME: content})

        def set_from_request(name, field):
            from IPython import get_ipython
            _ns()[name] = decode(get_ipython().kernel.get_parent()['content'][field])

        def get_value(name):
            ns = _ns()
            if name not in ns:
                _publish({'missing': True})
                return
            v = ns[name]
            try:
                _publish({'type': _type_name(v), 'value': encode(v)})
            except (TypeError, ValueError) as e:
                _publish({'type': _type_name(v), 'error': str(e)})

        def variables():
            from IPython import get_ipython
            ip = get_ipython()
            hidden = getattr(ip, 'user_ns_hidden', {})
            out = []
            for k, v in list(ip.user_ns.items()):
                if k.startswith('_') or k in hidden or k in ('In', 'Out', 'exit', 'quit', 'get_ipython'):
                    continue
                if type(v).__name__ == 'module':
                    continue
                text = repr(v)
                out.append({'name': k, 'type': _type_name(v), 'value': text if len(text) <= 100 else text[:97] + '...'})
            _publish({'variables': out})
        """;
}
