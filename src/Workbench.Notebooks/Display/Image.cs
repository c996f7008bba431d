using Workbench.Notebooks.Mime;
using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks.Display;

/// <summary>
/// A raster image shown inline (image/png, image/jpeg or image/gif, base64 as nbformat stores it), e.g.
/// <c>Image.FromFile("loss.png")</c> or <c>Image.FromPng(bytes, width: 400)</c>.
/// </summary>
public sealed class Image : IMimeRenderable
{
    private Image(byte[] bytes, string mimeType, int? width, int? height)
    {
        Bytes = bytes;
        MimeType = mimeType;
        Width = width;
        Height = height;
    }

    /// <summary>The encoded image.</summary>
    public byte[] Bytes { get; }

    /// <summary>image/png, image/jpeg or image/gif.</summary>
    public string MimeType { get; }

    /// <summary>Display width in pixels (metadata for the front end), or null for the natural size.</summary>
    public int? Width { get; }

    /// <summary>Display height in pixels, or null for the natural size.</summary>
    public int? Height { get; }

    /// <summary>A PNG image from its bytes; throws when the bytes are not PNG.</summary>
    public static Image FromPng(byte[] png, int? width = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (Detect(png) != "image/png") throw new ArgumentException("The bytes are not a PNG image (no PNG signature).", nameof(png));
        return new Image(png, "image/png", width, height);
    }

    /// <summary>An image from its bytes (PNG, JPEG or GIF, told apart by their signatures).</summary>
    public static Image FromBytes(byte[] bytes, int? width = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var mime = Detect(bytes) ?? throw new ArgumentException("The bytes are not a PNG, JPEG or GIF image.", nameof(bytes));
        return new Image(bytes, mime, width, height);
    }

    /// <summary>An image file (PNG, JPEG or GIF); the error names the file when it is something else.</summary>
    public static Image FromFile(string path, int? width = null, int? height = null)
    {
        var bytes = File.ReadAllBytes(path);
        var mime = Detect(bytes) ?? throw new ArgumentException($"{path}: not a PNG, JPEG or GIF image.", nameof(path));
        return new Image(bytes, mime, width, height);
    }

    /// <summary>The pixel size stored in a PNG header, or null for other formats.</summary>
    public (int Width, int Height)? PixelSize =>
        MimeType == "image/png" && Bytes.Length >= 24
            ? (BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(20)))
            : null;

    /// <inheritdoc/>
    public MimeBundle ToMimeBundle()
    {
        var bundle = new MimeBundle().Add(MimeType, Convert.ToBase64String(Bytes)).Add("text/plain", ToString());
        if (Width is not null || Height is not null)
        {
            var size = new JsonObject();
            if (Width is { } w) size["width"] = w;
            if (Height is { } h) size["height"] = h;
            bundle.Metadata[MimeType] = size;
        }
        return bundle;
    }

    /// <summary>A short description such as "&lt;image/png 640×480&gt;".</summary>
    public override string ToString() =>
        PixelSize is { } s ? $"<{MimeType} {s.Width}×{s.Height}>" : $"<{MimeType} {Bytes.Length} bytes>";

    private static string? Detect(byte[] b) =>
        b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G' ? "image/png"
        : b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 6 && b[0] == (byte)'G' && b[1] == (byte)'I' && b[2] == (byte)'F' ? "image/gif"
        : null;
}
