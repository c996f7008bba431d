using Workbench.Runner.Dib;
using Workbench.Runner.Nbformat;

namespace Workbench.Runner.Files;

/// <summary>
/// Notebook files by extension: <c>.ipynb</c> (Jupyter, with outputs) and <c>.dib</c> (Polyglot Notebooks, text
/// without outputs). Reading either gives the same in-memory <see cref="Notebook"/>, so cell languages and
/// metadata carry over when converting between them.
/// </summary>
public static class NotebookFile
{
    /// <summary>True for a path ending in .dib (any case).</summary>
    public static bool IsDib(string path) => Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a path ending in .ipynb (any case).</summary>
    public static bool IsIpynb(string path) => Path.GetExtension(path).Equals(".ipynb", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a .dib or .ipynb file (anything else is read as .ipynb).</summary>
    public static Notebook Read(string path) => IsDib(path) ? DibReader.Read(path) : NotebookReader.Read(path);

    /// <summary>
    /// Writes <paramref name="notebook"/> as .dib or .ipynb by the extension of <paramref name="path"/>, atomically.
    /// <paramref name="dibNewline"/> is the line end of a .dib ("\n" or "\r\n").
    /// </summary>
    public static void Write(Notebook notebook, string path, string dibNewline = "\n")
    {
        if (IsDib(path)) DibWriter.Write(notebook, path, dibNewline);
        else NotebookWriter.Write(notebook, path);
    }

    /// <summary>
    /// Converts <paramref name="inputPath"/> to <paramref name="outputPath"/> (.dib ⇄ .ipynb, or to the same format):
    /// cell kinds, languages and metadata carry over; a .dib keeps no outputs. Without <paramref name="dibNewline"/>
    /// a .dib target gets the line ends of a .dib source, else "\n". Returns the cells written.
    /// </summary>
    public static int Convert(string inputPath, string outputPath, string? dibNewline = null)
    {
        string? sourceNewline = null;
        Notebook notebook;
        if (IsDib(inputPath))
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(inputPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NotebookFormatException(inputPath, $"cannot read the file: {e.Message}", e);
            }
            var text = DibReader.Decode(bytes, inputPath);
            sourceNewline = DibReader.DetectNewline(text);
            notebook = DibReader.Parse(text, inputPath);
        }
        else
        {
            notebook = NotebookReader.Read(inputPath);
        }
        Write(notebook, outputPath, dibNewline ?? sourceNewline ?? "\n");
        return notebook.Cells.Count;
    }
}
