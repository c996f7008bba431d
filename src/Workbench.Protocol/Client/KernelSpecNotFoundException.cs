namespace Workbench.Protocol.Client;

/// <summary>No kernelspec of a name was found; the message names it and every folder searched.</summary>
public sealed class KernelSpecNotFoundException : Exception
{
    /// <summary>Creates the error for <paramref name="name"/> after searching <paramref name="searched"/>.</summary>
    public KernelSpecNotFoundException(string name, IReadOnlyList<string> searched)
        : base($"no Jupyter kernelspec named '{name}' (looked in {string.Join(", ", searched)}; set JUPYTER_PATH or install it, e.g. apt-get install python3-ipykernel for python3)")
    {
        Name = name;
        Searched = searched;
    }

    /// <summary>The kernelspec's name.</summary>
    public string Name { get; }

    /// <summary>The kernels folders searched.</summary>
    public IReadOnlyList<string> Searched { get; }
}
