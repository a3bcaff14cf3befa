using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PastDueBot.Conversation;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>The bot (IBot), its dialogs, cards and localized text.</summary>
    public static IServiceCollection AddConversation(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
