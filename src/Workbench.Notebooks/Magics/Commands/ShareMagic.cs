namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!share --from csharp x [--as y]</c>: the older spelling of <c>#!set --name y --value @csharp:x</c>.</summary>
internal sealed class ShareMagic : MagicCommand
{
    private static readonly string[] Valued = { "--from", "--as", "--mime-type" };

    public override string Name => "share";

    public override string Summary => "Share a variable of another kernel with the current kernel";

    public override string Usage =>
        "Usage: #!share --from KERNEL NAME [--as NEW_NAME] [--mime-type application/json]\n" +
        "  --from       the kernel that has the variable\n" +
        "  NAME         the variable to share\n" +
        "  --as         the name in this cell's kernel (default: NAME)\n" +
        "  --mime-type  application/json sends the value as JSON";

    public override async Task RunAsync(MagicContext context)
    {
        var line = context.Line;
        line.CheckOptions(Valued, Array.Empty<string>());
        var from = line.RequiredOption("--from");
        var positional = line.Positional(Valued);
        if (positional.Count != 1) throw context.Fail("give exactly one variable name to share");
        var name = positional[0];
        var value = await ValueSource.ReadAsync(context, from, name).ConfigureAwait(false);
        value = ValueSource.As(value, line.Option("--mime-type"), context);
        await context.Kernel.SetValueAsync(line.Option("--as") ?? name, value, context.Cancellation).ConfigureAwait(false);
    }
}
