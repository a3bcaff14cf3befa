using PastDueBot.Alerts.Scanning;
using PastDueBot.Conversation.Settle;
using PastDueBot.Domain.Billing;
using PastDueBot.Domain.Directory;

namespace PastDueBot.Alerts.Teams;

/// <summary>A payment in the settle flow closes the episode at once; the channel cards then say who paid and when.</summary>
public sealed class AlertsPaymentObserver(EpisodeTracker tracker, IDirectory directory) : IPaymentObserver
{
    public async Task OnPaidAsync(BillingAccount account, PaymentResult result, CancellationToken cancellationToken)
    {
        string? name = null;
        try
        {
            name = (await directory.FindUserAsync(account.AdminId, cancellationToken).ConfigureAwait(false))?.DisplayName;
        }
        catch (DirectoryUnavailableException)
        {
            // The card then says "paid" without a name; the payment itself is what matters.
        }
        await tracker.SettleAsync(account.TenantId, result.SubscriptionId, name, result.At, cancellationToken).ConfigureAwait(false);
    }
}
