using System.Diagnostics;
using System.Globalization;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Magics.Commands;

/// <summary><c>#!time</c>: shows the wall time from the magic to the end of the cell, after the cell's outputs.</summary>
internal sealed class TimeMagic : MagicCommand
{
    public override string Name => "time";

    public override string Summary => "Time the execution of the following code in the submission.";

    public override string Usage => "Usage: #!time\n  shows \"Wall time: <milliseconds>ms\" after the outputs of the rest of the cell";

    public override Task RunAsync(MagicContext context)
    {
        context.Line.CheckOptions(Array.Empty<string>(), Array.Empty<string>());
        var clock = Stopwatch.StartNew();
        context.AfterCell(() =>
        {
            // The text .NET Interactive shows: total milliseconds with every digit the double has.
            var ms = clock.Elapsed.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
            context.Session.Display(MimeBundle.PlainText($"Wall time: {ms}ms"), Guid.NewGuid().ToString());
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }
}
