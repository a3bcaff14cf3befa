using PastDueBot.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPastDueBot();

var app = builder.Build();
app.MapPastDueBot();
app.Run();

/// <summary>Entry point, visible to tests that host the bot in-process.</summary>
public partial class Program;
