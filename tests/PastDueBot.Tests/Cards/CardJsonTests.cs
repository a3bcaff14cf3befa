using System.Text.Json.Nodes;
using PastDueBot.Cards;
using PastDueBot.Cards.Model;

namespace PastDueBot.Tests.Cards;

/// <summary>Wire details of the serializer that the renderer would otherwise catch only indirectly.</summary>
public sealed class CardJsonTests
{
    [Fact]
    public void The_refresh_action_carries_its_type()
    {
        var card = new AdaptiveCard { Refresh = new CardRefresh(new ExecuteAction("Refresh", "refreshAlert"), []) };

        var refresh = JsonNode.Parse(CardJson.Serialize(card))!["refresh"]!;

        Assert.Equal("Action.Execute", (string?)refresh["action"]!["type"]);
        Assert.Equal("refreshAlert", (string?)refresh["action"]!["verb"]);
        Assert.Empty(refresh["userIds"]!.AsArray());
    }

    [Theory]
    [InlineData("2", "2")]
    [InlineData("1.5", "1.5")]
    [InlineData("auto", "\"auto\"")]
    [InlineData("stretch", "\"stretch\"")]
    [InlineData("80px", "\"80px\"")]
    public void Column_weights_are_numbers_and_keywords_are_strings(string width, string json)
    {
        var card = new AdaptiveCard { Body = [new ColumnSet([new Column([]) { Width = width }])] };

        var written = JsonNode.Parse(CardJson.Serialize(card))!["body"]![0]!["columns"]![0]!["width"]!;

        Assert.Equal(json, written.ToJsonString());
    }
}
