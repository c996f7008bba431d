using Workbench.Runner.Nbformat;
using Workbench.Runner.Parameters;

namespace Workbench.Notebooks.Tests.Runner;

/// <summary>Headless runs answer the cells' input requests from --input / --inputs.</summary>
[Collection(RunnerCollection.Name)]
public class NotebookInputTests
{
    private static Notebook AskingNotebook()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.Code("using Microsoft.DotNet.Interactive;\nvar name = await Kernel.GetInputAsync(\"Your name\");\nvar line = Console.ReadLine();"));
        nb.Cells.Add(NotebookCell.Code("#!set --name key --value @password:\"API key\"\n$\"{name}|{line}|{key.GetClearTextPassword()}\""));
        return nb;
    }

    [Fact]
    public void InputAnswersComeFromTheCommandLineAndAFile()
    {
        var path = TestNotebooks.WriteToTempFolder(AskingNotebook(), "ask.ipynb");
        var answers = Path.Combine(Path.GetDirectoryName(path)!, "answers.json");
        File.WriteAllText(answers, "{\"API key\": \"k=1\", \"\": \"from file\"}");
        try
        {
            // A prompt may be empty (Console.ReadLine asks with ""); a later --input wins over the file.
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "--input", "Your name=Ada", "--inputs", answers, "--input", "=typed");
            Assert.True(exit == 0, stderr);
            var result = NotebookReader.Read(path).Cells[1].Outputs.Single();
            Assert.Equal("Ada|typed|k=1", result["data"]!["text/plain"]!.GetValue<string>());
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void AMissingAnswerFailsTheCellNamingThePrompt()
    {
        var path = TestNotebooks.WriteToTempFolder(AskingNotebook(), "ask.ipynb");
        try
        {
            var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", path, "--input", "Your name=Ada");
            Assert.Equal(1, exit);
            Assert.Contains("line 3: InputUnavailableException: no answer for the input prompt '' (give one with --input \"=VALUE\" or --inputs FILE)", stderr);
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }

    [Fact]
    public void MalformedInputsAreUsageErrors()
    {
        Assert.Contains("--input 'novalue' is not of the form prompt=value",
            Assert.Throws<NotebookParameterException>(() => NotebookInputs.Parse(new[] { "novalue" }, null)).Message);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "[1]");
            Assert.Contains("expected a JSON object", Assert.Throws<NotebookParameterException>(() => NotebookInputs.Parse(Array.Empty<string>(), file)).Message);
            File.WriteAllText(file, "{\"a\": 1}");
            Assert.Contains("the answer to 'a' is not a string", Assert.Throws<NotebookParameterException>(() => NotebookInputs.Parse(Array.Empty<string>(), file)).Message);
        }
        finally { File.Delete(file); }
        var (exit, _, stderr) = TestNotebooks.RunCli("notebook", "run", "x.ipynb", "--input", "novalue");
        Assert.Equal(2, exit);
        Assert.Contains("--input 'novalue' is not of the form prompt=value", stderr);
    }
}
