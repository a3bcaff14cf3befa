using PastDueBot.Conversation.Commands;

namespace PastDueBot.Tests.Conversation;

public sealed class CommandRecognizerTests
{
    [Theory]
    [InlineData("settle", CommandKind.Settle)]
    [InlineData("Pay", CommandKind.Settle)]
    [InlineData(" balance ", CommandKind.Settle)]
    [InlineData("vereffenen", CommandKind.Settle)]
    [InlineData("Betalen!", CommandKind.Settle)]
    [InlineData("saldo", CommandKind.Settle)]
    [InlineData("<at>PastDueBot</at> settle", CommandKind.Settle)]
    [InlineData("/help", CommandKind.Help)]
    [InlineData("help?", CommandKind.Help)]
    [InlineData("cancel", CommandKind.Cancel)]
    [InlineData("Annuleren", CommandKind.Cancel)]
    [InlineData("alerts on", CommandKind.AlertsOn)]
    [InlineData("<at>PastDueBot</at>  alerts   off", CommandKind.AlertsOff)]
    [InlineData("alerts status", CommandKind.AlertsStatus)]
    [InlineData("meldingen aan", CommandKind.AlertsOn)]
    [InlineData("meldingen uit", CommandKind.AlertsOff)]
    [InlineData("meldingen status", CommandKind.AlertsStatus)]
    [InlineData("hello there", CommandKind.None)]
    [InlineData("settle my bill please", CommandKind.None)]
    [InlineData("", CommandKind.None)]
    [InlineData(null, CommandKind.None)]
    public void Recognises_commands_in_English_and_Dutch(string? text, CommandKind expected) =>
        Assert.Equal(expected, CommandRecognizer.Recognize(text).Kind);

    [Theory]
    [InlineData("language nl", "nl")]
    [InlineData("taal en", "en")]
    [InlineData("Language NL-be", "nl-be")]
    [InlineData("taal", null)]
    public void Language_takes_its_argument(string text, string? argument)
    {
        var command = CommandRecognizer.Recognize(text);
        Assert.Equal(CommandKind.Language, command.Kind);
        Assert.Equal(argument, command.Argument);
    }
}
