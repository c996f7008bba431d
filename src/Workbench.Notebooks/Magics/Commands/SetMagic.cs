namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!set --name x --value @csharp:y</c> (or a literal): declares x in the kernel of the cell part it stands in.</summary>
internal sealed class SetMagic : MagicCommand
{
    private static readonly string[] Valued = { "--name", "--value", "--mime-type" };
    private static readonly string[] Flags = { "--byref" };

    public override string Name => "set";

    public override string Summary => "Set a variable in the current kernel to a value from another kernel or a literal";

    public override string Usage =>
        "Usage: #!set --name NAME --value @KERNEL:VARIABLE|@input:PROMPT|@password:PROMPT|LITERAL [--mime-type application/json] [--byref]\n" +
        "  --name       the variable to declare in this cell's kernel\n" +
        "  --value      @kernel:name reads a variable of another kernel; anything else is a literal string\n" +
        "  --mime-type  application/json sends the value as JSON (as it crosses to another process anyway)\n" +
        "  --byref      share the .NET object itself between .NET kernels (the default here)";

    public override async Task RunAsync(MagicContext context)
    {
        var line = context.Line;
        line.CheckOptions(Valued, Flags);
        var name = line.RequiredOption("--name");
        var source = line.RequiredOption("--value");
        var value = await ValueSource.ResolveAsync(context, source).ConfigureAwait(false);
        value = ValueSource.As(value, line.Option("--mime-type"), context);
        await context.Kernel.SetValueAsync(name, value, context.Cancellation).ConfigureAwait(false);
    }
}
