using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Workbench.Kernel.Hosting;

namespace Workbench.Kernel.Tests.Hosting;

public sealed class KernelSpecInstallerTests
{
    [Fact]
    public void InstallWritesKernelJsonAndLogosUnderThePrefixAndUninstallRemovesThem()
    {
        var prefix = Directory.CreateTempSubdirectory("wb-spec-").FullName;
        try
        {
            var folder = KernelSpecInstaller.Install(new[] { "/opt/wb/workbench" }, prefix);
            Assert.Equal(Path.Combine(prefix, "share", "jupyter", "kernels", "workbench-csharp"), folder);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
            Assert.Equal(new[] { "/opt/wb/workbench", "kernel", "run", "-f", "{connection_file}" }, json["argv"]!.AsArray().Select(n => (string?)n));
            Assert.Equal("csharp", (string?)json["language"]);
            Assert.Equal("message", (string?)json["interrupt_mode"]);
            Assert.Equal("C# (Workbench)", (string?)json["display_name"]);
            Assert.True(File.Exists(Path.Combine(folder, "logo-32x32.png")));
            Assert.Empty(Directory.GetFiles(folder, "*.tmp-*"));
            Assert.True(KernelSpecInstaller.Uninstall(prefix));
            Assert.False(Directory.Exists(folder));
            Assert.False(KernelSpecInstaller.Uninstall(prefix));
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void LogoIsAValidPngOfTheRequestedSize(int size)
    {
        var png = LogoPng.Create(size);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // Walk the chunks: each CRC must match, IHDR must carry the size, IEND must close the file.
        var offset = 8;
        var types = new List<string>();
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = png[(offset + 4)..(offset + 8)];
            var data = png[(offset + 8)..(offset + 8 + length)];
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(LogoPng.Crc32(type, data), crc);
            var name = System.Text.Encoding.ASCII.GetString(type);
            types.Add(name);
            if (name == "IHDR")
            {
                Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(data));
                Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)));
            }
            offset += 12 + length;
        }
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, types);
    }

    [Fact]
    public void KnownCrc32()
    {
        // CRC-32 of "123456789" is 0xCBF43926 (the standard check value).
        Assert.Equal(0xCBF43926u, LogoPng.Crc32(Array.Empty<byte>(), "123456789"u8.ToArray()));
    }
}
