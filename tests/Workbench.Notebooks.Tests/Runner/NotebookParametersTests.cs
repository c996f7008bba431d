using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;

namespace Workbench.Notebooks.Tests.Runner;

public class NotebookParametersTests
{
    private const string ParametersCell = """
        int epochs = 10;
        var lr = 0.01;
        float dropout = 0.5f;
        long seed = 42L;
        var corpus = "tiny.txt";
        bool verbose = false;
        var steps = -3;
        decimal budget = 1.5m;
        char separator = ',';
        List<int> sizes = new() { 1, 2 };
        """;

    private static Notebook NotebookWithParameters()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Markdown("# Title"));
        nb.Cells.Add(NotebookCell.Code(ParametersCell, NotebookParameters.ParametersTag));
        nb.Cells.Add(NotebookCell.Code("Console.WriteLine(epochs);"));
        return nb;
    }

    [Fact]
    public void DeclarationsAreTypedFromTheirTypeOrLiteral()
    {
        var d = NotebookParameters.Declarations(ParametersCell).ToDictionary(p => p.Name);
        Assert.Equal("int", d["epochs"].TypeName);
        Assert.Equal("double", d["lr"].TypeName);
        Assert.Equal("float", d["dropout"].TypeName);
        Assert.Equal("long", d["seed"].TypeName);
        Assert.Equal("string", d["corpus"].TypeName);
        Assert.Equal("bool", d["verbose"].TypeName);
        Assert.Equal("int", d["steps"].TypeName);
        Assert.Equal("decimal", d["budget"].TypeName);
        Assert.Equal("char", d["separator"].TypeName);
        Assert.Equal("List<int>", d["sizes"].TypeName);
        Assert.Equal(2, d["lr"].Line);
        Assert.Equal("0.01", d["lr"].Initializer);
    }

    [Fact]
    public void OverridesAreInjectedAfterTheParametersCellTypedLikeTheDefaults()
    {
        var nb = NotebookWithParameters();
        var values = new Dictionary<string, string>
        {
            ["epochs"] = "3", ["lr"] = "1e-3", ["dropout"] = "0.25", ["seed"] = "7", ["corpus"] = "a \"quoted\"\\path",
            ["verbose"] = "True", ["budget"] = "2", ["separator"] = ";",
        };
        var cell = NotebookParameters.Inject(nb, values)!;
        Assert.Same(cell, nb.Cells[2]);
        Assert.True(cell.HasTag(NotebookParameters.InjectedTag));
        var lines = cell.Source.Split('\n');
        Assert.Equal("// Parameters injected by 'workbench notebook run'", lines[0]);
        Assert.Equal(new[]
        {
            "int epochs = 3;", "double lr = 0.001d;", "float dropout = 0.25f;", "long seed = 7L;",
            "string corpus = \"a \\\"quoted\\\"\\\\path\";", "bool verbose = true;", "decimal budget = 2m;", "char separator = ';';",
        }, lines[1..]);
    }

    [Fact]
    public void ASecondInjectionReplacesTheFirst()
    {
        var nb = NotebookWithParameters();
        NotebookParameters.Inject(nb, new Dictionary<string, string> { ["epochs"] = "3" });
        NotebookParameters.Inject(nb, new Dictionary<string, string> { ["epochs"] = "4" });
        var injected = Assert.Single(nb.Cells, c => c.HasTag(NotebookParameters.InjectedTag));
        Assert.Contains("int epochs = 4;", injected.Source);
        Assert.Equal(4, nb.Cells.Count);
    }

    [Fact]
    public void UnknownNameListsTheDeclaredParameters()
    {
        var e = Assert.Throws<NotebookParameterException>(() =>
            NotebookParameters.Inject(NotebookWithParameters(), new Dictionary<string, string> { ["epoch"] = "3" }));
        Assert.Contains("unknown parameter 'epoch'", e.Message);
        Assert.Contains("cell 2", e.Message);
        Assert.Contains("int epochs, double lr", e.Message);
    }

    [Theory]
    [InlineData("epochs", "three", "parameter 'epochs' is int in the parameters cell (line 1: 10); 'three' is not an int")]
    [InlineData("epochs", "2.5", "'2.5' is not an int")]
    [InlineData("lr", "fast", "parameter 'lr' is double")]
    [InlineData("verbose", "yes", "is not a bool (true or false)")]
    [InlineData("separator", "ab", "is not a single character")]
    [InlineData("sizes", "1,2", "has type List<int> (line 10); only int, long")]
    public void ValuesThatDoNotFitTheTypeAreClearErrors(string name, string value, string message)
    {
        var e = Assert.Throws<NotebookParameterException>(() =>
            NotebookParameters.Inject(NotebookWithParameters(), new Dictionary<string, string> { [name] = value }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void NoParametersCellIsAnErrorWhenValuesAreGivenAndNothingWhenNot()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code("int epochs = 1;"));
        var e = Assert.Throws<NotebookParameterException>(() => NotebookParameters.Inject(nb, new Dictionary<string, string> { ["epochs"] = "2" }));
        Assert.Contains("no code cell is tagged 'parameters'", e.Message);
        Assert.Null(NotebookParameters.Inject(nb, new Dictionary<string, string>()));
        Assert.Single(nb.Cells);
    }

    [Fact]
    public void AssignmentsSplitAtTheFirstEqualsSign()
    {
        var map = NotebookParameters.ParseAssignments(["a=1", "b=x=y", "a=2", "s="]);
        Assert.Equal("2", map["a"]);
        Assert.Equal("x=y", map["b"]);
        Assert.Equal("", map["s"]);
        Assert.Contains("not of the form name=value", Assert.Throws<NotebookParameterException>(() => NotebookParameters.ParseAssignments(["oops"])).Message);
    }
}
