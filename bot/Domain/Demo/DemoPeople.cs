namespace PastDueBot.Domain.Demo;

/// <summary>
/// The fixed people of the embedded demo, shared by the demo billing ledger and the demo directory so that
/// "a card someone else owns" names someone the directory also knows.
/// </summary>
public static class DemoPeople
{
    /// <summary>Another billing admin of the demo tenant, owner of a card on one of every person's subscriptions.</summary>
    public const string MeganBowenId = "5b1e0d2c-6f4a-4c8e-9a71-3d2f8b6c0e14";

    public const string MeganBowenName = "Megan Bowen";

    public const string MeganBowenUpn = "MeganB@contoso.example";

    /// <summary>A global admin of the demo tenant.</summary>
    public const string NestorWilkeId = "c7a3f9e2-1b8d-4e65-8f20-9a4b7d1e3c58";

    public const string NestorWilkeName = "Nestor Wilke";

    public const string NestorWilkeUpn = "NestorW@contoso.example";
}
