using System.Buffers.Binary;
using System.IO.Compression;

namespace PastDueBot.Tests.Support;

/// <summary>
/// A minimal PNG decoder for 8-bit RGBA, non-interlaced images (what the icon generator writes), so tests can
/// check sizes and pixels without an imaging package. Anything else is rejected with the reason.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private PngImage(int width, int height, byte[] rgba) => (Width, Height, Rgba) = (width, height, rgba);

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major RGBA bytes.</summary>
    public byte[] Rgba { get; }

    public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
    {
        var i = (y * Width + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
    }

    public IEnumerable<(byte R, byte G, byte B, byte A)> Pixels() =>
        Enumerable.Range(0, Width * Height).Select(i => (Rgba[i * 4], Rgba[i * 4 + 1], Rgba[i * 4 + 2], Rgba[i * 4 + 3]));

    /// <summary>Width and height from the IHDR chunk alone.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> png)
    {
        if (png.Length < 24 || !png[..8].SequenceEqual(Signature) || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new InvalidDataException("Not a PNG (no signature or IHDR first).");
        }
        return (BinaryPrimitives.ReadInt32BigEndian(png.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.Slice(20, 4)));
    }

    public static PngImage Decode(byte[] png)
    {
        var (width, height) = ReadSize(png);
        var (bitDepth, colorType, interlace) = (png[24], png[25], png[28]);
        if (bitDepth != 8 || colorType != 6 || interlace != 0)
        {
            throw new InvalidDataException($"Only 8-bit RGBA non-interlaced PNGs are supported (depth {bitDepth}, color type {colorType}, interlace {interlace}).");
        }

        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset, 4));
            var type = png.AsSpan(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8)) idat.Write(png, offset + 8, length);
            if (type.SequenceEqual("IEND"u8)) break;
            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        return new PngImage(width, height, Unfilter(inflated.ToArray(), width, height));
    }

    // Reverses the per-row filters of the PNG specification (section 9) for 4 bytes per pixel.
    private static byte[] Unfilter(byte[] data, int width, int height)
    {
        const int Bpp = 4;
        var stride = width * Bpp;
        if (data.Length < (stride + 1) * height) throw new InvalidDataException("Image data is shorter than the header says.");
        var output = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var src = y * (stride + 1) + 1;
            var row = y * stride;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= Bpp ? output[row + x - Bpp] : 0;
                int b = y > 0 ? output[row - stride + x] : 0;
                int c = x >= Bpp && y > 0 ? output[row - stride + x - Bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                };
                output[row + x] = (byte)(data[src + x] + predictor);
            }
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
