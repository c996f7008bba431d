#:project ../../src/Workbench.Notebooks/Workbench.Notebooks.csproj
// The cost of the interrupt checks the engine inserts into C# cells (not a test): the same tight loops run as cells
// of a session that rewrites cells and of one that compiles them as written (NotebookSessionOptions.InterruptChecks),
// alternating, best of N. Goal: within 5 % of the loop as written. DOTNET_TieredCompilation=0 shows the fully optimized
// code; by default a loop in a method called a few times runs as on-stack-replaced code, where the JIT keeps a
// floating-point local of a checked loop in memory.
//     dotnet run scripts/bench/interrupt_checks.cs [reps [loop-name-part]]
using System.Diagnostics;
using Workbench.Notebooks.Execution;

var reps = args.Length > 0 ? int.Parse(args[0]) : 7;
var loops = new (string Name, string Setup, string Body)[]
{
    ("for, integer add", "long Sum(long n) { long s = 0; for (long i = 0; i < n; i++) s += i ^ (s >> 3); return s; }", "var __r = Sum(400_000_000);"),
    ("while, float fma", "double Fma(long n) { double x = 0; long i = 0; while (i < n) { x = x * 0.999999 + 1e-3; i++; } return x; }", "var __r = Fma(200_000_000);"),
    ("foreach over an array", "var data = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();\ndouble Total(int times) { double t = 0; for (var k = 0; k < times; k++) foreach (var v in data) t += v; return t; }", "var __r = Total(20_000);"),
    ("top-level for, float", "var steps = 200_000_000L;", "double y = 0;\nfor (long i = 0; i < steps; i++) y = y * 0.999999 + 1e-3;"),
    ("recursion (method entry)", "long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);", "var __r = Fib(36);"),
};

using var checkedSession = new NotebookSession(new NotebookSessionOptions { InterruptChecks = true });
using var plainSession = new NotebookSession(new NotebookSessionOptions { InterruptChecks = false });
var output = new NullOutput();

Console.WriteLine($"{"loop",-26} {"as written ms",14} {"with checks ms",15} {"ratio",7}");
foreach (var (name, setup, body) in loops.Where(l => args.Length < 2 || l.Name.Contains(args[1], StringComparison.Ordinal)))
{
    foreach (var s in new[] { checkedSession, plainSession })
    {
        var r = await s.ExecuteAsync(setup, output);
        if (r.Error is not null) throw new InvalidOperationException($"{name}: {r.Error.Value}");
        await s.ExecuteAsync(body, output); // warm: tiering and OSR settle
    }
    var withChecks = new List<double>();
    var written = new List<double>();
    for (var i = 0; i < reps; i++)
    {
        written.Add(await Time(plainSession, body));
        withChecks.Add(await Time(checkedSession, body));
    }
    var a = written.Min();
    var b = withChecks.Min();
    Console.WriteLine($"{name,-26} {a,14:F1} {b,15:F1} {b / a,7:F3}");
}

async Task<double> Time(NotebookSession session, string body)
{
    // The loop times itself inside the cell, so compiling the cell is not counted.
    var r = await session.ExecuteAsync($"var __sw = System.Diagnostics.Stopwatch.StartNew();\n{body}\n__sw.Elapsed.TotalMilliseconds", output);
    if (r.Error is not null) throw new InvalidOperationException(r.Error.Value);
    return double.Parse(r.Result!.GetText("text/plain")!, System.Globalization.CultureInfo.InvariantCulture);
}

sealed class NullOutput : ICellOutput
{
    public void Stream(string name, string text) { }
    public void Display(Workbench.Notebooks.Mime.MimeBundle bundle, string? displayId) { }
    public void UpdateDisplay(Workbench.Notebooks.Mime.MimeBundle bundle, string displayId) { }
}
