using System.Text.Json.Nodes;
using Workbench.Notebooks.Display;
using Workbench.Notebooks.Formatting;

namespace Workbench.Notebooks.Tests.Formatting;

public class DisplayTypesTests
{
    // A 1×1 PNG (red pixel): signature, IHDR with width 1 and height 1.
    internal static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    [Fact]
    public void MarkdownIsTextMarkdown()
    {
        var bundle = new FormatterRegistry().Format(new Markdown("# Title\n*x*"));
        Assert.Equal("# Title\n*x*", bundle.GetText("text/markdown"));
        Assert.Equal("# Title\n*x*", bundle.GetText("text/plain"));
    }

    [Theory]
    [InlineData(@"h_t = \tanh(x)", @"$$h_t = \tanh(x)$$")]
    [InlineData(@"$x^2$", @"$x^2$")]
    [InlineData(@"\begin{aligned} a &= b \end{aligned}", @"\begin{aligned} a &= b \end{aligned}")]
    public void LatexIsDelimitedDisplayMath(string expression, string expected)
    {
        var bundle = new FormatterRegistry().Format(new Latex(expression));
        Assert.Equal(expected, bundle.GetText("text/latex"));
        Assert.Equal(expression, bundle.GetText("text/plain"));
    }

    [Fact]
    public void HtmlAndSvgAreShownAsIs()
    {
        var registry = new FormatterRegistry();
        Assert.Equal("<b>x</b>", registry.Format(new Html("<b>x</b>")).GetText("text/html"));
        var svg = registry.Format(new Svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        Assert.Equal("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", svg.GetText("image/svg+xml"));
        Assert.Equal("<SVG image>", svg.GetText("text/plain"));
    }

    [Fact]
    public void PngImageIsBase64WithSizeMetadata()
    {
        var image = Image.FromPng(OnePixelPng, width: 200);
        var bundle = new FormatterRegistry().Format(image);
        Assert.Equal(Convert.ToBase64String(OnePixelPng), bundle.GetText("image/png"));
        Assert.Equal("<image/png 1×1>", bundle.GetText("text/plain"));
        Assert.Equal(200, bundle.Metadata["image/png"]!["width"]!.GetValue<int>());
    }

    [Fact]
    public void ImageFromFileDetectsFormatAndNamesABadFile()
    {
        var dir = Directory.CreateTempSubdirectory("wb-image-");
        try
        {
            var png = Path.Combine(dir.FullName, "a.png");
            File.WriteAllBytes(png, OnePixelPng);
            Assert.Equal("image/png", Image.FromFile(png).MimeType);
            var bad = Path.Combine(dir.FullName, "notes.txt");
            File.WriteAllText(bad, "hello");
            var e = Assert.Throws<ArgumentException>(() => Image.FromFile(bad));
            Assert.Contains("notes.txt", e.Message);
            Assert.Throws<ArgumentException>(() => Image.FromPng([1, 2, 3]));
        }
        finally { dir.Delete(true); }
    }
}
