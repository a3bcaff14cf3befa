using System.Text.Json.Nodes;
using PastDueBot.Cards.Model;

namespace PastDueBot.Tests.Cards;

/// <summary>Cards built with the typed model that together use every element, input and action type it has.</summary>
public static class SampleCards
{
    // A one-pixel PNG as a data: URI (an "attention red" avatar), so the card needs nothing from the network.
    private const string DotPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGM4Yuj9HwAFPQJA88nFOQAAAABJRU5ErkJggg==";

    public static IEnumerable<(string Name, AdaptiveCard Card)> All() =>
    [
        ("display-elements", DisplayElements()),
        ("inputs-and-actions", InputsAndActions()),
        ("universal-actions", UniversalActions()),
    ];

    /// <summary>TextBlock, FactSet, ColumnSet, Container, Image, and an Action.OpenUrl.</summary>
    public static AdaptiveCard DisplayElements() => new()
    {
        Body =
        [
            new TextBlock("Payment past due") { Style = TextBlockStyle.Heading, Size = TextSize.Large, Weight = TextWeight.Bolder },
            new ColumnSet(
            [
                new Column([new Image(DotPng) { AltText = "Status", Size = ImageSize.Small, Style = ImageStyle.Person }]) { Width = "auto" },
                new Column(
                [
                    new TextBlock("Contoso Ltd") { Weight = TextWeight.Bolder },
                    new TextBlock("Microsoft 365 Business Premium") { IsSubtle = true, Spacing = Spacing.None },
                ]) { Width = "stretch", VerticalContentAlignment = VerticalAlignment.Center },
                new Column([new TextBlock("€ 264.00") { HorizontalAlignment = HorizontalAlignment.Right, Color = TextColor.Attention }]) { Width = "auto" },
            ]),
            new Container(
            [
                new FactSet(
                [
                    new Fact("Amount due", "€ 264.00"),
                    new Fact("Due since", "2026-11-01"),
                    new Fact("Grace period", "12 days left"),
                ]),
            ]) { Style = ContainerStyle.Emphasis, Bleed = true, Separator = true },
            new TextBlock("After a payment the notice may stay visible for up to 48 hours.") { MaxLines = 2, Size = TextSize.Small, IsVisible = true },
        ],
        Actions = [new OpenUrlAction("Open the admin center", "https://admin.microsoft.com/")],
        FallbackText = "Payment past due for Contoso Ltd.",
        Teams = new TeamsCardProperties("Full"),
    };

    /// <summary>Every input type with validation, an ActionSet, Action.Submit (with a no-inputs Cancel) and Action.ShowCard.</summary>
    public static AdaptiveCard InputsAndActions() => new()
    {
        Body =
        [
            new TextBlock("Update the card's expiry date") { Weight = TextWeight.Bolder },
            new TextInput
            {
                Id = "expiry", Label = "Expiry (MM/YY)", IsRequired = true, Regex = @"^(0[1-9]|1[0-2])/\d{2}$",
                ErrorMessage = "Enter the expiry as MM/YY.", Placeholder = "04/30", MaxLength = 5, Style = TextInputStyle.Text,
            },
            new ChoiceSetInput([new Choice("Visa •••• 1111", "pm-1"), new Choice("Mastercard •••• 4444", "pm-2")])
            {
                Id = "paymentMethod", Label = "Card", Style = ChoiceInputStyle.Compact, Value = "pm-1", IsRequired = true, ErrorMessage = "Choose a card.",
            },
            new ChoiceSetInput([new Choice("Now", "now"), new Choice("Tomorrow", "tomorrow")])
            {
                Id = "when", Label = "Retry the payment", Style = ChoiceInputStyle.Expanded, Value = "now",
            },
            new ToggleInput("Make this the default card") { Id = "makeDefault", Label = "Default", Value = "true", ValueOn = "true", ValueOff = "false" },
            new DateInput { Id = "remindOn", Label = "Remind me on", Min = "2026-11-01", Max = "2026-12-31", Value = "2026-11-27" },
            new NumberInput { Id = "amount", Label = "Amount (EUR)", Min = 1, Max = 264, Value = 264, Placeholder = "264", IsRequired = true, ErrorMessage = "Between 1 and 264." },
            new ActionSet(
            [
                new SubmitAction("Save") { Id = "save", Data = new JsonObject { ["verb"] = "saveExpiry" } },
                new SubmitAction("Cancel") { Data = new JsonObject { ["verb"] = "cancel" }, AssociatedInputs = AssociatedInputs.None },
            ]),
        ],
        Actions =
        [
            new ShowCardAction("Why was it declined?", new AdaptiveCard
            {
                Body = [new TextBlock("The bank declined the payment because the card has expired.")],
            }),
        ],
    };

    /// <summary>Action.Execute (Universal Actions) and a refresh for user-specific views.</summary>
    public static AdaptiveCard UniversalActions() => new()
    {
        Body = [new TextBlock("Past-due alert: Contoso Ltd owes € 264.00.") { Id = "summary" }],
        Actions =
        [
            new ExecuteAction("Retry payment", "retryPayment") { Id = "retry", Data = new JsonObject { ["invoiceId"] = "INV-0042" } },
            new ExecuteAction("Snooze 1 day", "snooze") { Data = new JsonObject { ["days"] = 1 }, AssociatedInputs = AssociatedInputs.None },
        ],
        Refresh = new CardRefresh(new ExecuteAction("Refresh", "refreshAlert") { Data = new JsonObject { ["invoiceId"] = "INV-0042" } }, ["29:1a2b3c"]),
    };
}
