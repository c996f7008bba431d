using Workbench.Notebooks.Execution;
using Workbench.Notebooks.Tests.Execution;

namespace Workbench.Notebooks.Tests.Languages;

/// <summary>Cells written for .NET Interactive (Polyglot Notebooks) run unchanged: its display and formatting API.</summary>
public sealed class InteractiveApiTests : IDisposable
{
    private readonly NotebookSession _session = new();

    public void Dispose() => _session.Dispose();

    private async Task<(CellExecutionResult Result, RecordingOutput Output)> Run(string code)
    {
        var output = new RecordingOutput();
        var result = await _session.ExecuteAsync(code, output);
        Assert.True(result.Error is null, result.Error?.Value);
        return (result, output);
    }

    [Fact]
    public async Task DisplayExtensionShowsAValueAndUpdatesItInPlace()
    {
        var (r, output) = await Run("var h = \"hello\".Display();\nh.Update(\"world\");");
        Assert.Null(r.Result);
        Assert.Equal(2, output.Displays.Count);
        Assert.Equal(("display", "hello"), (output.Displays[0].Kind, output.Displays[0].Bundle.GetText("text/plain")));
        Assert.Equal(("update", "world"), (output.Displays[1].Kind, output.Displays[1].Bundle.GetText("text/plain")));
        Assert.Equal(output.Displays[0].Id, output.Displays[1].Id); // one display id: the update replaces the output
    }

    [Fact]
    public async Task DisplayAsShowsAStringAsTheGivenMimeTypeOnly()
    {
        var (r, output) = await Run("\"**bold**\".DisplayAs(\"text/markdown\")");
        Assert.Null(r.Result); // a trailing Display()/DisplayAs() is not also the cell's result
        var shown = Assert.Single(output.Displays).Bundle;
        Assert.Equal(new[] { "text/markdown" }, shown.Data.Keys);
        Assert.Equal("**bold**", shown.GetText("text/markdown"));
    }

    [Fact]
    public async Task DisplayWithMimeTypesFormatsObjectsAsDotNetInteractiveDoes()
    {
        var (_, output) = await Run("display(new { A = 1, B = \"x\" }, \"text/html\", \"text/plain\");\nvar d = new[] { 1, 2, 3 }.Display(\"text/html\");\nd.Update(new[] { 4 });");
        Assert.Equal(3, output.Displays.Count);
        var anon = output.Displays[0].Bundle;
        Assert.Equal(new[] { "text/html", "text/plain" }, anon.Data.Keys.Order());
        Assert.Contains("<td>A</td><td><div class=\"dni-plaintext\"><pre>1</pre></div></td>", anon.GetText("text/html"));
        Assert.Matches(@"^<>f__AnonymousType\d+#\d+<Int32,String>\n      A: 1\n      B: x$", anon.GetText("text/plain"));
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>[ 1, 2, 3 ]</pre></div>", output.Displays[1].Bundle.GetText("text/html"));
        Assert.Equal(new[] { "text/html" }, output.Displays[1].Bundle.Data.Keys);
        Assert.Equal(("update", output.Displays[1].Id), (output.Displays[2].Kind, output.Displays[2].Id));
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>[ 4 ]</pre></div>", output.Displays[2].Bundle.GetText("text/html"));
        // Still the session's own display(content, mimeType) for raw strings.
        var (_, raw) = await Run("display(\"<b>hi</b>\", \"text/html\")");
        Assert.Equal("<b>hi</b>", Assert.Single(raw.Displays).Bundle.GetText("text/html"));
    }

    [Fact]
    public async Task ToDisplayStringAndFormatterCompileWithTheOfficialUsings()
    {
        var (r, _) = await Run("using Microsoft.DotNet.Interactive;\nusing Microsoft.DotNet.Interactive.Formatting;\n" +
                               "new List<int> { 1, 2, 3 }.ToDisplayString() + \"|\" + Formatter.ListExpansionLimit");
        Assert.Equal("[ 1, 2, 3 ]|20", r.Result!.GetText("text/plain"));
        var (html, _) = await Run("new[] { 1, 2 }.ToDisplayString(\"text/html\")");
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>[ 1, 2 ]</pre></div>", html.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task FormatterRegisterWinsOverBuiltInsWhenTheSessionFormats()
    {
        await Run("using Microsoft.DotNet.Interactive.Formatting;\nrecord Temperature(double Celsius);\nrecord Pressure(double Hpa);\nrecord Wind(double Speed);");
        // A writer action with a MIME type, a string function (text/plain by default), and a string function for HTML.
        await Run("Formatter.Register<Temperature>((t, w) => w.Write($\"<b>{t.Celsius} °C</b>\"), \"text/html\");\n" +
                  "Formatter.Register<Pressure>(p => $\"{p.Hpa} hPa\");\n" +
                  "Formatter.Register<Wind>(w => $\"<i>{w.Speed} m/s</i>\", \"text/html\");");
        var (t, _) = await Run("new Temperature(21.5)");
        Assert.Equal("<b>21.5 °C</b>", t.Result!.GetText("text/html"));
        Assert.Equal("Temperature { Celsius = 21.5 }", t.Result.GetText("text/plain")); // text/plain stays the session's
        var (p, _) = await Run("new Pressure(1013)");
        Assert.Equal("1013 hPa", p.Result!.GetText("text/plain"));
        var (w, shown) = await Run("display(new Wind(3)); new[] { new Wind(4) }");
        Assert.Equal("<i>3 m/s</i>", Assert.Single(shown.Displays).Bundle.GetText("text/html"));
        // Sequences keep the built-in table: a registration for the element type does not change the list's view.
        Assert.NotNull(w.Result!.GetText("text/html"));
        // A registration for a type the built-ins format (string sequences) wins too.
        await Run("Formatter.Register<Temperature[]>(ts => $\"{ts.Length} readings\");");
        var (arr, _) = await Run("new[] { new Temperature(1), new Temperature(2) }");
        Assert.Equal("2 readings", arr.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task PocketViewHelpersBuildHtml()
    {
        var (r, _) = await Run("using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;\nusing Microsoft.DotNet.Interactive.Formatting;\n" +
                               "((object)b(\"bold\")).ToString()");
        Assert.Equal("<b>bold</b>", r.Result!.GetText("text/plain"));
    }

    [Fact]
    public async Task InputApiCompilesAndFailsClearlyWithoutAFrontEndThatAnswers()
    {
        var output = new RecordingOutput();
        var r = await _session.ExecuteAsync("using Microsoft.DotNet.Interactive;\nvar name = await Kernel.GetInputAsync(\"Name?\");", output);
        Assert.Equal("InputUnavailableException", r.Error!.Name);
        Assert.Equal("this front end cannot answer input: the cell asked for input 'Name?'", r.Error.Value);
        Assert.Equal(2, r.Error.Line);
    }

    [Fact]
    public async Task ErrorsCarryTheTextsOfTheOfficialKernel()
    {
        // The official kernel writes "(1,9): error CS1525: Invalid expression term ';'" to stderr for this cell.
        var compile = await _session.ExecuteAsync("int y = ;", new RecordingOutput());
        Assert.Equal(("CompilationError", "(1,9): error CS1525: Invalid expression term ';'"), (compile.Error!.Name, compile.Error.Value));
        var later = await _session.ExecuteAsync("int z = 1;\nint w = 2;\nvar q = undefinedVar + 1;", new RecordingOutput());
        Assert.Equal("(3,9): error CS0103: The name 'undefinedVar' does not exist in the current context", later.Error!.Value);
        // Its runtime error text starts "System.InvalidOperationException: boom".
        var runtime = await _session.ExecuteAsync("var a = 1;\nthrow new InvalidOperationException(\"boom\");", new RecordingOutput());
        Assert.Equal(("InvalidOperationException", "boom", 2), (runtime.Error!.Name, runtime.Error.Value, runtime.Error.Line));
        Assert.Equal("System.InvalidOperationException: boom", runtime.Error.Traceback[0]);
    }

    [Fact]
    public async Task AStoreHistoryFalseCellDoesNotAdvanceTheExecutionCount()
    {
        var first = await _session.ExecuteAsync("1", new RecordingOutput());
        var silent = await _session.ExecuteAsync("2", new RecordingOutput(), storeHistory: false);
        var next = await _session.ExecuteAsync("3", new RecordingOutput());
        Assert.Equal((1, 1, 2), (first.ExecutionCount, silent.ExecutionCount, next.ExecutionCount));
        Assert.Equal("2", silent.Result!.GetText("text/plain"));
    }
}
