namespace PastDueBot.Conversation.Cards;

/// <summary>The data keys and verbs PastDueBot's cards submit, and the ids of their inputs.</summary>
public static class CardIds
{
    /// <summary>Data key naming what a button does.</summary>
    public const string Verb = "verb";

    // Verbs.
    public const string StartSettle = "settle";
    public const string ChooseLanguage = "language";
    public const string ChooseSubscription = "subscription";
    public const string ChooseAction = "action";
    public const string SubmitExpiry = "expiry";
    public const string SubmitChosenCard = "chooseCard";
    public const string SubmitNewCard = "addCard";
    public const string Save = "save";
    public const string Cancel = "cancel";

    // Values of ChooseAction.
    public const string ActionEditExpiry = "editExpiry";
    public const string ActionUseAnotherCard = "useAnotherCard";
    public const string ActionAddCard = "addCard";

    // Data keys and input ids.
    public const string Language = "language";
    public const string SubscriptionId = "subscriptionId";
    public const string Choice = "choice";
    public const string PaymentMethodId = "paymentMethodId";
    public const string ExpiryMonth = "expiryMonth";
    public const string ExpiryYear = "expiryYear";
    public const string HolderName = "holderName";
    public const string CardNumber = "cardNumber";
    public const string SecurityCode = "securityCode";
}
