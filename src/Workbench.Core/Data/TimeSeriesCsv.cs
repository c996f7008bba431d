using System.Globalization;

namespace Workbench.Data;

/// <summary>
/// Reads a one-value-per-row CSV (e.g. the airline passengers file: <c>"Month","Passengers"</c> then
/// <c>"1949-01",112</c>). The first row is a header. Errors name the file and the line.
/// </summary>
public static class TimeSeriesCsv
{
    /// <summary>
    /// Loads the column named <paramref name="valueColumn"/> (default: the last column) and, when given or when the file
    /// has two or more columns, the date column <paramref name="dateColumn"/> (default: the first column if it is not the value column).
    /// </summary>
    public static TimeSeries Load(string path, string? valueColumn = null, string? dateColumn = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Time series file not found: {path}", path);
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim().Length == 0) throw new DataFormatException(path, 1, "the file is empty; expected a header row");
        string[] header = SplitRow(lines[0], path, 1);
        int valueIndex = valueColumn is null ? header.Length - 1 : Find(header, valueColumn, path);
        int dateIndex = dateColumn is not null ? Find(header, dateColumn, path) : (header.Length > 1 && valueIndex != 0 ? 0 : -1);

        var values = new List<double>();
        var dates = dateIndex >= 0 ? new List<string>() : null;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = SplitRow(lines[i], path, i + 1);
            if (cells.Length != header.Length)
                throw new DataFormatException(path, i + 1, $"{cells.Length} columns, the header has {header.Length}");
            string text = cells[valueIndex].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new DataFormatException(path, i + 1, $"'{text}' in column '{header[valueIndex]}' is not a finite number");
            values.Add(value);
            dates?.Add(cells[dateIndex].Trim());
        }
        if (values.Count == 0) throw new DataFormatException(path, 0, "no data rows after the header");
        return new TimeSeries(values.ToArray(), dates?.ToArray(), path);
    }

    private static int Find(string[] header, string name, string path)
    {
        int index = Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (index < 0) throw new DataFormatException(path, 1, $"no column named '{name}' (columns: {string.Join(", ", header)})");
        return index;
    }

    // Minimal RFC 4180 splitting: commas, double-quoted fields, doubled quotes inside quotes.
    private static string[] SplitRow(string line, string path, int lineNumber)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                    else quoted = false;
                }
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        if (quoted) throw new DataFormatException(path, lineNumber, "unterminated quoted field");
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
