using System.IO.Compression;

namespace PastDueBot.Tests.Manifest;

/// <summary>One package build shared by the tests that only read it.</summary>
public sealed class PackageFixture : IAsyncLifetime
{
    private DirectoryInfo? _outDir;

    public ZipArchive Zip { get; private set; } = null!;

    public async Task InitializeAsync() => (Zip, _outDir) = await AppPackage.BuildAsync();

    public Task DisposeAsync()
    {
        Zip.Dispose();
        _outDir?.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
