namespace PastDueBot.Domain.Billing;

public enum CardBrand
{
    Unknown,
    Visa,
    Mastercard,
    AmericanExpress,
    Discover,
}
