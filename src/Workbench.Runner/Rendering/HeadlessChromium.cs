using System.Diagnostics;

namespace Workbench.Runner.Rendering;

/// <summary>
/// Runs Chromium headless on a local HTML file and returns the DOM after its scripts ran (<c>--dump-dom</c> with a
/// virtual time budget). Network features are off and the profile is a throwaway folder, so nothing leaves the machine.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The Debian Chromium path.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>True when <paramref name="chromiumPath"/> exists.</summary>
    public static bool IsAvailable(string chromiumPath = DefaultPath) => File.Exists(chromiumPath);

    /// <summary>
    /// Loads <paramref name="htmlFile"/>, lets its scripts run for up to <paramref name="virtualTimeBudget"/>, returns the DOM.
    /// <paramref name="extraArguments"/> go before the URL (e.g. a proxy that refuses everything, to prove a page is offline).
    /// </summary>
    public static async Task<string> DumpDomAsync(string htmlFile, TimeSpan virtualTimeBudget, TimeSpan timeout,
        string chromiumPath = DefaultPath, CancellationToken cancellationToken = default, IEnumerable<string>? extraArguments = null)
    {
        if (!File.Exists(chromiumPath)) throw new FileNotFoundException($"Chromium not found at {chromiumPath}", chromiumPath);
        var profile = Directory.CreateTempSubdirectory("workbench-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromiumPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync", "--mute-audio",
                $"--user-data-dir={profile.FullName}",
                $"--virtual-time-budget={(int)virtualTimeBudget.TotalMilliseconds}",
            }) start.ArgumentList.Add(arg);
            foreach (var arg in extraArguments ?? []) start.ArgumentList.Add(arg);
            start.ArgumentList.Add("--dump-dom");
            start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri);

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {chromiumPath}");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                throw new TimeoutException($"Chromium did not finish rendering {htmlFile} within {timeout.TotalSeconds:0} s");
            }
            var dom = await stdout.ConfigureAwait(false);
            if (process.ExitCode != 0 && dom.Length == 0)
            {
                var err = await stderr.ConfigureAwait(false);
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} on {htmlFile}: {Tail(err)}");
            }
            return dom;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(string text) => text.Length > 600 ? "…" + text[^600..] : text;
}
