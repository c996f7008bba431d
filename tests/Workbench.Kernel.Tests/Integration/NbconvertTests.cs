using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbench.Kernel.Tests.Integration;

/// <summary>
/// Executes a notebook with Debian's `jupyter nbconvert --to notebook --execute` against the installed kernelspec
/// and checks the outputs written into the resulting notebook.
/// </summary>
public sealed class NbconvertTests(KernelSpecFixture spec) : IClassFixture<KernelSpecFixture>
{
    private static readonly string[] Cells =
    {
        /* 0 */ "var x = 20;\nConsole.WriteLine(\"hello from C#\");",
        /* 1 */ "x * 2 + 2",
        /* 2 */ "var y = 1;\nthrow new InvalidOperationException(\"boom\");",
        /* 3 */ "var h = display(\"first\");\nh.Update(\"second\");",
        /* 4 */ "await Task.Delay(50);\n\"awaited\"",
        /* 5 */ "#r \"Greeter.dll\"\nG.Greeter.Hi(\"jupyter\")",
        /* 6 */ "#:project Lib/Lib.csproj\nLib.Words.Shout(\"project\")",
        /* 7 */ "#r \"nuget: MathNet.Numerics, 5.0.0\"\nusing MathNet.Numerics.LinearAlgebra;\nVector<double>.Build.Dense(new[] { 3.0, 4.0 }).L2Norm()",
        /* 8 */ "#:package Humanizer.Core@2.14.1\nusing Humanizer;\n\"cell\".Pluralize()",
        /* 9 */ "x + y",
        /* 10 */ "typeof(Lib.Words).Assembly.Location.Contains(\"workbench-shadow\")",
    };

    [Fact]
    public void NotebookRunsThroughNbconvertWithTheExpectedOutputs()
    {
        var work = Path.Combine(spec.Prefix, "nb");
        Directory.CreateDirectory(work);
        WriteGreeterDll(Path.Combine(work, "Greeter.dll"));
        WriteLibraryProject(Path.Combine(work, "Lib"));
        var input = Path.Combine(work, "test.ipynb");
        File.WriteAllText(input, KernelSpecFixture.CodeNotebook(Cells).ToJsonString());

        var cells = spec.Nbconvert(work, input, TimeSpan.FromSeconds(240));
        JsonArray Outputs(int i) => cells[i]!["outputs"]!.AsArray();
        string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(n => (string?)n)) : (string?)node ?? "";
        string Result(int i)
        {
            var result = Outputs(i).FirstOrDefault(o => (string?)o!["output_type"] == "execute_result");
            Assert.True(result is not null, $"cell {i} has no result: {Outputs(i).ToJsonString()}");
            return Text(result!["data"]!["text/plain"]);
        }

        var stream = Assert.Single(Outputs(0));
        Assert.Equal("stream", (string?)stream!["output_type"]);
        Assert.Equal("stdout", (string?)stream["name"]);
        Assert.Equal("hello from C#\n", Text(stream["text"]));
        Assert.Equal("42", Result(1));
        Assert.Equal(2, (int)cells[1]!["execution_count"]!);

        var error = Assert.Single(Outputs(2));
        Assert.Equal("error", (string?)error!["output_type"]);
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Equal("boom", (string?)error["evalue"]);
        Assert.Contains(error["traceback"]!.AsArray(), l => ((string?)l)!.Contains("line 2", StringComparison.Ordinal));

        var display = Assert.Single(Outputs(3));
        Assert.Equal("display_data", (string?)display!["output_type"]);
        Assert.Equal("second", Text(display["data"]!["text/plain"])); // replaced in place by the update

        Assert.Equal("awaited", Result(4));
        Assert.Equal("hi jupyter", Result(5));
        Assert.Equal("PROJECTS", Result(6)); // the project's own package (Humanizer) came along
        Assert.Equal("5", Result(7));
        Assert.Equal("cells", Result(8));
        Assert.Equal("21", Result(9)); // the failed cell kept what it assigned before throwing
        Assert.Equal("True", Result(10)); // the project is loaded from its shadow copy, not its build folder

        // The headless runner, on the same notebook, writes the same outputs as the kernel did through Jupyter.
        spec.AssertRunnerAgrees(work, input, cells, TimeSpan.FromSeconds(240));
    }

    /// <summary>A cell's execution count and outputs, without what legitimately differs between runs (metadata).</summary>
    internal static string Comparable(JsonNode cell)
    {
        static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(n => (string?)n)) : (string?)node ?? "";
        var outputs = new JsonArray();
        foreach (var output in cell["outputs"]!.AsArray())
        {
            var kept = new JsonObject { ["output_type"] = (string?)output!["output_type"] };
            if (output["name"] is { } name) kept["name"] = (string?)name;
            if (output["text"] is { } text) kept["text"] = Text(text);
            if (output["ename"] is { } ename) kept["ename"] = (string?)ename;
            if (output["evalue"] is { } evalue) kept["evalue"] = (string?)evalue;
            if (output["traceback"] is JsonArray traceback) kept["traceback"] = string.Join("\n", traceback.Select(l => (string?)l));
            if (output["data"] is JsonObject data)
            {
                var mimes = new JsonObject();
                foreach (var (mime, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
                    mimes[mime] = value is JsonArray or JsonValue ? Text(value) : value!.ToJsonString();
                kept["data"] = mimes;
            }
            if (output["execution_count"] is { } count) kept["execution_count"] = (int?)count;
            outputs.Add(kept);
        }
        return new JsonObject { ["execution_count"] = (int?)cell["execution_count"], ["outputs"] = outputs }.ToJsonString();
    }


    private static void WriteGreeterDll(string path)
    {
        var compilation = CSharpCompilation.Create("Greeter",
            new[] { CSharpSyntaxTree.ParseText("namespace G { public static class Greeter { public static string Hi(string n) => \"hi \" + n; } }") },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
    }

    // A class library with a package dependency: #:project must reference its output and its packages.
    private static void WriteLibraryProject(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Lib.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Humanizer.Core" Version="2.14.1" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Words.cs"), """
            using Humanizer;
            namespace Lib;
            public static class Words
            {
                public static string Shout(string word) => word.Pluralize().ToUpperInvariant();
            }
            """);
    }
}
