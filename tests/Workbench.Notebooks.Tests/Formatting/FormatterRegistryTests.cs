using Workbench.Notebooks.Mime;
using Workbench.Notebooks.Display;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Tests.Formatting;

public class FormatterRegistryTests
{
    private sealed record Temperature(double Celsius);

    private sealed class Badge : IMimeRenderable
    {
        public MimeBundle ToMimeBundle() => new MimeBundle().Add("text/html", "<span>badge</span>");
        public override string ToString() => "badge";
    }

    [Fact]
    public void CustomFormatterIsUsedAndTextPlainIsAddedWhenMissing()
    {
        var registry = FormatterRegistry.CreateDefault();
        registry.Register<Temperature>(t => new MimeBundle().Add("text/html", $"<b>{t.Celsius} °C</b>"));
        var bundle = registry.Format(new Temperature(21.5));
        Assert.Equal("<b>21.5 °C</b>", bundle.GetText("text/html"));
        Assert.Equal("Temperature { Celsius = 21.5 }", bundle.GetText("text/plain"));
    }

    [Fact]
    public void LaterRegistrationReplacesEarlierOne()
    {
        var registry = new FormatterRegistry();
        registry.RegisterHtml<Temperature>(_ => "first");
        registry.RegisterHtml<Temperature>(_ => "second");
        Assert.Equal("second", registry.Format(new Temperature(1)).GetText("text/html"));
    }

    [Fact]
    public void OwnTypesCanRenderThemselves()
    {
        var bundle = new FormatterRegistry().Format(new Badge());
        Assert.Equal("<span>badge</span>", bundle.GetText("text/html"));
        Assert.Equal("badge", bundle.GetText("text/plain"));
    }

    [Fact]
    public void StringsAreNotTreatedAsSequencesOfChars()
    {
        var bundle = new FormatterRegistry().Format("hello");
        Assert.Equal("hello", bundle.GetText("text/plain"));
        Assert.Single(bundle.Data);
    }

    [Fact]
    public void EmptyRegistryStillGivesTextPlain()
    {
        var bundle = new FormatterRegistry(includeBuiltIns: false).Format(new[] { 1, 2 });
        Assert.Equal("System.Int32[]", bundle.GetText("text/plain"));
        Assert.Equal("null", new FormatterRegistry(false).Format(null).GetText("text/plain"));
    }

    [Fact]
    public void SequenceOfNumbersIsABracketedListTruncatedWithCount()
    {
        var registry = new FormatterRegistry { MaxTableRows = 3 };
        Assert.Equal("[ 1, 2, 3 ]", registry.Format(new List<int> { 1, 2, 3 }).GetText("text/plain"));
        Assert.Equal("[ 0.5, 1.5, 2.5, … (2 more) ]", registry.Format(new[] { 0.5, 1.5, 2.5, 3.5, 4.5 }).GetText("text/plain"));
        Assert.Equal("[ \"a\", \"b\" ]", registry.Format(new[] { "a", "b" }).GetText("text/plain"));
    }

    [Fact]
    public void SequenceOfRecordsIsAnEscapedTable()
    {
        var rows = new[] { new Temperature(1.25), new Temperature(-3) };
        var bundle = new FormatterRegistry().Format(rows);
        var html = bundle.GetText("text/html")!;
        Assert.Contains("<th>Celsius</th>", html);
        Assert.Contains("<td>1.25</td>", html);
        Assert.Contains("<td>-3</td>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal("Celsius\n   1.25\n     -3", bundle.GetText("text/plain"));
    }

    [Fact]
    public void AnonymousObjectsAndLazySequencesAreTablesTruncatedAfterMaxRows()
    {
        var registry = new FormatterRegistry { MaxTableRows = 2 };
        var lazy = Enumerable.Range(0, int.MaxValue).Select(i => new { Epoch = i, Word = "<b&>" });
        var html = registry.Format(lazy).GetText("text/html")!;
        Assert.Contains("<th>Epoch</th><th>Word</th>", html);
        Assert.Contains("<td>&lt;b&amp;&gt;</td>", html);
        Assert.Equal(2, html.Split("<tr>").Length - 2); // header row + 2 rows
        Assert.Contains("… more rows", html);
    }

    [Fact]
    public void DictionaryIsAKeyValueTableWithMoreRowsCount()
    {
        var registry = new FormatterRegistry { MaxTableRows = 1 };
        var bundle = registry.Format(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3 });
        Assert.Contains("<th>Key</th><th>Value</th>", bundle.GetText("text/html"));
        Assert.Contains("… 2 more rows", bundle.GetText("text/plain"));
    }
}
