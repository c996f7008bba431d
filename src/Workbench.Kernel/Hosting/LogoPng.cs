using System.Buffers.Binary;
using System.IO.Compression;

namespace Workbench.Kernel.Hosting;

/// <summary>Draws the kernel's logo (a white '#' on .NET purple) as a PNG of any size, with a minimal encoder.</summary>
public static class LogoPng
{
    /// <summary>The PNG bytes of a <paramref name="size"/>×<paramref name="size"/> logo.</summary>
    public static byte[] Create(int size)
    {
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), size, "the logo needs at least 8 pixels");
        var rows = new byte[size * (1 + size * 4)];
        for (var y = 0; y < size; y++)
        {
            var row = y * (1 + size * 4);
            rows[row] = 0; // filter: none
            for (var x = 0; x < size; x++)
            {
                var (r, g, b) = Inside(x, y, size) ? ((byte)255, (byte)255, (byte)255) : ((byte)0x51, (byte)0x2B, (byte)0xD4);
                var p = row + 1 + x * 4;
                rows[p] = r;
                rows[p + 1] = g;
                rows[p + 2] = b;
                rows[p + 3] = 255;
            }
        }
        using var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(rows);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    // Two vertical and two horizontal bars, slightly slanted like a sharp sign.
    private static bool Inside(int x, int y, int size)
    {
        double u = (x + 0.5) / size, v = (y + 0.5) / size;
        if (u < 0.15 || u > 0.85 || v < 0.15 || v > 0.85) return false;
        var slant = (0.5 - v) * 0.15;
        const double half = 0.06;
        var vertical = Math.Abs(u - slant - 0.38) < half || Math.Abs(u - slant - 0.62) < half;
        var horizontal = Math.Abs(v - 0.38) < half || Math.Abs(v - 0.62) < half;
        return vertical || horizontal;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc32(typeBytes, data);
        Span<byte> c = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(c, crc);
        png.Write(c);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32 used by PNG chunks, over the chunk type then data.</summary>
    internal static uint Crc32(byte[] type, byte[] data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in type) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
