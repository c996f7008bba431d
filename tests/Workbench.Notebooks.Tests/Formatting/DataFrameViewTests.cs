using Microsoft.Data.Analysis;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Tests.Formatting;

public class DataFrameViewTests
{
    private static DataFrame Frame(int rows) => new(
        new PrimitiveDataFrameColumn<int>("epoch", Enumerable.Range(1, rows)),
        new PrimitiveDataFrameColumn<double>("loss", Enumerable.Range(1, rows).Select(i => 1.0 / i)),
        new StringDataFrameColumn("note<script>", Enumerable.Range(1, rows).Select(i => i == 1 ? "<script>alert(1)</script>" : "a&b")));

    [Fact]
    public void HtmlTableEscapesNamesAndValuesAndHasNoScript()
    {
        var html = new FormatterRegistry().Format(Frame(3)).GetText("text/html")!;
        Assert.StartsWith("<table", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<th title=\"String\">note&lt;script&gt;</th>", html);
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>", html);
        Assert.Contains("<td>a&amp;b</td>", html);
        Assert.Contains("<td>0.333333</td>", html);
        Assert.Contains("3 rows × 3 columns", html);
        Assert.DoesNotContain("more row", html);
    }

    [Fact]
    public void LongFramesAreTruncatedWithAMoreRowsNote()
    {
        var registry = new FormatterRegistry { MaxTableRows = 10 };
        var bundle = registry.Format(Frame(25));
        var html = bundle.GetText("text/html")!;
        Assert.Equal(1 + 10, html.Split("<tr><th>").Length - 1); // header + rows
        Assert.Contains("… 15 more rows", html);
        Assert.Contains("25 rows × 3 columns", html);
        var text = bundle.GetText("text/plain")!;
        Assert.Contains("… 15 more rows", text);
        Assert.Equal(1 + 10 + 2, text.Split('\n').Length);
    }

    [Fact]
    public void TextViewIsAligned()
    {
        var text = new FormatterRegistry().Format(Frame(2)).GetText("text/plain")!.Split('\n');
        Assert.Equal(text[0].Length, text[1].Length);
        Assert.Equal(text[1].Length, text[2].Length);
        Assert.Matches(@"^ +epoch +loss +note<script>$", text[0]);
        Assert.Matches(@"^0 +1 +1  <script>alert\(1\)</script>$", text[1]);
    }
}
