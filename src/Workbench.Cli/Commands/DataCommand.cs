using System.CommandLine;
using Workbench.Datasets;

namespace Workbench.Cli.Commands;

/// <summary>
/// The <c>data</c> verb: lists the public data sets, fetches one into the cache (<see cref="DatasetCache"/>), or
/// prints where one is kept. Everything but the printing is the core's.
/// </summary>
internal static class DataCommand
{
    /// <summary>Exit code when a data set cannot be had (an unknown name exits with <see cref="Program.UsageError"/>).</summary>
    public const int Failure = 1;

    /// <summary>Creates the command with its three sub-verbs.</summary>
    public static Command Create()
    {
        var command = new Command("data",
            $"Public data sets: downloaded once into ${DatasetCache.CacheVariable} (default {DatasetCache.DefaultRoot()}), "
            + $"verified by SHA-256, then used offline; folders of local copies in ${DatasetCache.MirrorVariable} are looked in first.");
        var list = new Command("list", "List the data sets, their sizes and whether each is here.");
        list.SetAction(_ => List(DatasetCache.FromEnvironment(), Console.Out));
        command.Subcommands.Add(list);
        foreach (var (verb, help, fetch) in new[]
                 {
                     ("fetch", "Download NAME into the cache if needed (or find a local copy), verify it and print its path.", true),
                     ("path", "Print where NAME is (a local copy or the cache) or would be kept; no network.", false),
                 })
        {
            var name = new Argument<string>("NAME") { Description = "A data set name from `workbench data list`." };
            var sub = new Command(verb, help);
            sub.Arguments.Add(name);
            sub.SetAction(parseResult => Run(DatasetCache.FromEnvironment(), parseResult.GetValue(name)!, fetch, Console.Out, Console.Error));
            command.Subcommands.Add(sub);
        }
        return command;
    }

    /// <summary>One line per data set: name, bytes, where it is (or "missing"), and its address.</summary>
    internal static int List(DatasetCache cache, TextWriter output)
    {
        output.WriteLine($"cache: {cache.Root}");
        foreach (var d in PublicDatasets.All)
        {
            string where;
            try { where = cache.Locate(d) ?? "missing"; }
            catch (DatasetDownloadException) { where = "local copy with a wrong SHA-256"; }
            output.WriteLine($"{d.Name,-26} {d.Bytes,12:N0} bytes  {where}  {d.Url?.ToString() ?? "(a cut: local copy only)"}");
        }
        return 0;
    }

    /// <summary>Prints the path of <paramref name="name"/>, fetching it first when <paramref name="fetch"/>; errors are one line.</summary>
    internal static int Run(DatasetCache cache, string name, bool fetch, TextWriter output, TextWriter error)
    {
        PublicDataset dataset;
        try { dataset = PublicDatasets.Get(name); }
        catch (ArgumentException e)
        {
            error.WriteLine($"workbench data: {e.Message.Split(" (Parameter")[0]}");
            return Program.UsageError;
        }
        try
        {
            output.WriteLine(fetch ? cache.Fetch(dataset) : cache.Locate(dataset) ?? cache.CachePath(dataset));
            return 0;
        }
        catch (DatasetDownloadException e)
        {
            error.WriteLine($"workbench data: {e.Message}");
            return Failure;
        }
    }
}
