using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PastDueBot.Conversation.Bot;
using PastDueBot.Conversation.Resources;
using PastDueBot.Conversation.Settle;
using PastDueBot.Protocol.Builder;
using PastDueBot.Protocol.Builder.State;

namespace PastDueBot.Conversation;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>
    /// The bot (IBot, saving conversation and user state after each turn), the settle dialog, its payment runner and
    /// the English/Dutch resources. Needs from other layers: IBillingProvider, IDirectory, ConversationState,
    /// UserState, BotStateSet and CloudAdapter. Other layers add commands with
    /// <c>services.AddSingleton&lt;ICommandHandler, ...&gt;()</c>. Configuration: section "Settle" (PaymentWait).
    /// </summary>
    public static IServiceCollection AddConversation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLocalization();
        services.AddOptions<SettleOptions>().Bind(configuration.GetSection(SettleOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BotTexts>();
        services.TryAddSingleton<PaymentRunner>();
        services.TryAddSingleton<PaymentNotifier>();
        services.TryAddSingleton<SettleDialog>();
        services.TryAddSingleton<PastDueBotHandler>();
        services.TryAddSingleton<IBot>(sp => new AutoSaveStateBot(sp.GetRequiredService<PastDueBotHandler>(), sp.GetRequiredService<BotStateSet>()));
        return services;
    }
}
