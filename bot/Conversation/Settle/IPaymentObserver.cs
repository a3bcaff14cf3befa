using PastDueBot.Domain.Billing;

namespace PastDueBot.Conversation.Settle;

/// <summary>
/// Told after the settle flow's charge succeeded (e.g. so the alerts layer can mark the channel card settled at once).
/// Called outside any turn; an observer's failure is logged and never affects the payment.
/// </summary>
public interface IPaymentObserver
{
    Task OnPaidAsync(BillingAccount account, PaymentResult result, CancellationToken cancellationToken);
}
