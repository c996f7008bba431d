using Workbench.Notebooks.Formatting;
using Workbench.Notebooks.Languages.Jupyter;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary>
/// <c>#!connect jupyter --kernel-name NAME --kernel-spec SPEC [--init-script CODE]</c>: starts a Jupyter kernel from
/// a kernelspec and adds it to the session as <c>#!NAME</c>, as .NET Interactive's <c>#!connect jupyter</c> does
/// (local kernels only: --url, --token, --bearer and --conda-env are not supported here).
/// </summary>
internal sealed class ConnectMagic : MagicCommand
{
    private static readonly string[] Valued = { "--kernel-name", "--kernel-spec", "--init-script", "--url", "--token", "--conda-env" };
    private static readonly string[] Flags = { "--bearer" };

    public override string Name => "connect";

    public override string Summary => "Connects additional subkernels";

    public override string Usage =>
        "Usage: #!connect jupyter --kernel-name NAME --kernel-spec SPEC [--init-script CODE]\n" +
        "  jupyter        connect a Jupyter kernel started from a local kernelspec\n" +
        "  --kernel-name  the name cells use to select it (#!NAME)\n" +
        "  --kernel-spec  the kernelspec to start (jupyter kernelspec list), e.g. python3\n" +
        "  --init-script  code to run in the kernel after it starts\n" +
        "Kernelspecs are searched in JUPYTER_PATH, ~/.local/share/jupyter/kernels, /usr/local/share/jupyter/kernels, /usr/share/jupyter/kernels.";

    public override async Task RunAsync(MagicContext context)
    {
        var line = context.Line;
        var positional = line.Positional(Valued);
        if (positional.Count == 0) throw context.Fail("a connection type is required: #!connect jupyter --kernel-name NAME --kernel-spec SPEC");
        if (positional[0] != "jupyter")
            throw context.Fail($"unknown connection type '{positional[0]}' (this workbench connects 'jupyter' kernels)");
        if (positional.Count > 1) throw context.Fail($"unexpected argument '{positional[1]}'");
        line.CheckOptions(Valued, Flags);
        foreach (var remote in new[] { "--url", "--token", "--conda-env", "--bearer" })
            if (line.Words.Contains(remote))
                throw context.Fail($"{remote} is not supported: only kernels from local kernelspecs can be connected");
        var name = line.Option("--kernel-name") ?? throw context.Fail("Option '--kernel-name' is required.");
        var spec = line.Option("--kernel-spec") ?? throw context.Fail("Option '--kernel-spec' is required.");
        if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.StartsWith('#'))
            throw context.Fail($"'{name}' is not a kernel name (letters, digits, '-' and '_')");

        var session = context.Session;
        if (session.ResolveKernelName(name) is { } existing)
        {
            var current = session.Kernels.FirstOrDefault(k => k.Info.Name == existing);
            // The lazily registered #!python (and an earlier #!connect) may be replaced; the built-in languages may not.
            if (current is not (null or JupyterKernel))
                throw context.Fail($"The kernel name or alias '{name}' is already in use.");
        }
        var kernel = new JupyterKernel(name, spec, line.Option("--init-script"));
        try
        {
            await kernel.StartAsync(context.Cancellation).ConfigureAwait(false);
        }
        catch (JupyterKernelException e)
        {
            kernel.Dispose();
            throw context.Fail(e.Message);
        }
        session.AddKernel(kernel);
        context.Output.Display(MimeBundle.PlainText($"Kernel added: #!{name}"), null);
    }
}
