using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Begins the settle flow proactively in a 1:1 chat, for one subscription (an alert's Settle button): a proactive
/// turn along the chat's reference carries an event named <see cref="StartSettleEvent"/> through the bot, which
/// starts the flow as if the person had typed "settle", so state, locks and saving behave as in any turn.
/// The reference's user must carry the person's aadObjectId: the flow checks their roles again.
/// </summary>
public sealed class SettleLauncher(IServiceProvider services)
{
    public const string StartSettleEvent = "pastduebot/startSettle";

    public async Task StartAsync(ConversationReference personalChat, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(personalChat);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        var adapter = services.GetRequiredService<CloudAdapter>();
        var bot = services.GetRequiredService<IBot>();
        await adapter.ContinueConversationAsync(personalChat, async (turnContext, token) =>
        {
            turnContext.Activity.Name = StartSettleEvent;
            turnContext.Activity.Value = JsonSerializer.SerializeToElement(subscriptionId, ProtocolJson.Context.String);
            await bot.OnTurnAsync(turnContext, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}
