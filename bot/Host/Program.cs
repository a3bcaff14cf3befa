using PastDueBot.Host.Hosting;

// Configuration is read once at start-up. Reload-on-change would watch the content root recursively, and the
// SQLite database lives under it (data/): every write to it was an inotify event stat-ed by the watcher thread,
// measured at about 6% of the bot's CPU under load. App Service restarts the app when its settings change anyway.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddPastDueBot();

var app = builder.Build();
app.MapPastDueBot();
app.Run();

/// <summary>Entry point, visible to tests that host the bot in-process.</summary>
public partial class Program;
