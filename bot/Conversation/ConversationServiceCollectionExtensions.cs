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
    /// <c>services.AddSingleton&lt;ICommandHandler, ...&gt;()</c>, card buttons (ICardActionHandler), install hooks
    /// (IInstallationObserver) and payment hooks (IPaymentObserver). Configuration: section "Settle" (PaymentWait).
    /// </summary>
    public static IServiceCollection AddConversation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLocalization();
        services.AddOptions<SettleOptions>().Bind(configuration.GetSection(SettleOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BotTexts>();
        services.TryAddSingleton(sp => new PaymentRunner(sp.GetRequiredService<PastDueBot.Domain.Billing.IBillingProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SettleOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PaymentRunner>>(), sp.GetServices<IPaymentObserver>()));
        services.TryAddSingleton<SettleLauncher>();
        services.TryAddSingleton<PaymentNotifier>();
        services.TryAddSingleton<SettleDialog>();
        services.TryAddSingleton(sp => new PastDueBotHandler(sp.GetRequiredService<ConversationState>(), sp.GetRequiredService<UserState>(),
            sp.GetRequiredService<SettleDialog>(), sp.GetRequiredService<BotTexts>(), sp.GetServices<Commands.ICommandHandler>(),
            sp.GetServices<Commands.ICardActionHandler>(), sp.GetServices<IInstallationObserver>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PastDueBotHandler>>()));
        services.TryAddSingleton<IBot>(sp => new AutoSaveStateBot(sp.GetRequiredService<PastDueBotHandler>(), sp.GetRequiredService<BotStateSet>()));
        return services;
    }
}
