using System.Globalization;
using System.Text.Json.Nodes;

namespace PastDueBot.LoadTest;

/// <summary>
/// One admin walking the settle flow by pressing the buttons of the cards the bot sends:
/// "settle" → choose the subscription (Business Premium, whose expired card the admin owns) → "Edit expiry" →
/// submit the expiry form → Save → receipt. A turn's latency runs from the start of its POST until both the
/// response has been read and the reply the next step needs has reached the connector.
/// </summary>
public sealed class SettleFlow(TeamsChannel channel, FakeConnector connector, TimeSpan turnTimeout, TimeSpan think = default)
{
    public const string Product = "Microsoft 365 Business Premium";
    public const string ReceiptText = "Payment received";

    /// <summary>The five turns of a complete flow.</summary>
    public const int FullFlow = 5;

    private static readonly string NextYear = (DateTime.UtcNow.Year + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs the first <paramref name="turns"/> turns of the flow; true when all of them went as expected.</summary>
    public async Task<bool> RunAsync(TeamsUser user, int turns, TurnRecorder recorder, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(user, turns, recorder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connector.Forget(user.ConversationId);
        }
    }

    private async Task<bool> RunCoreAsync(TeamsUser user, int turns, TurnRecorder recorder, CancellationToken cancellationToken)
    {
        // 1. The admin types "settle": the subscription list comes back.
        var list = await TurnAsync("settle", user, channel.Message(user, "settle"), recorder, cancellationToken,
            r => CardQuery.HasSubmit(r, "subscription"));
        if (list is null || turns == 1) return list is not null;

        // 2. Chooses Business Premium: the actions card, with "Edit expiry" because the admin owns the card.
        var choose = CardQuery.FindSubmit(list[0].Card, "subscription")!;
        var subscriptionId = CardQuery.ChoiceValue(list[0].Card, "subscriptionId", Product);
        var value = subscriptionId is null ? CardQuery.SubmitValue(choose) : CardQuery.SubmitValue(choose, ("subscriptionId", subscriptionId));
        var actions = await TurnAsync("subscription", user, channel.Submit(user, list[0].ActivityId, value), recorder, cancellationToken,
            r => CardQuery.HasSubmit(r, "action", "editExpiry"));
        if (actions is null || turns == 2) return actions is not null;

        // 3. Edit expiry: the expiry form.
        var edit = CardQuery.FindSubmit(actions[0].Card, "action", "editExpiry")!;
        var form = await TurnAsync("action", user, channel.Submit(user, actions[0].ActivityId, CardQuery.SubmitValue(edit)), recorder, cancellationToken,
            r => CardQuery.HasSubmit(r, "expiry"));
        if (form is null || turns == 3) return form is not null;

        // 4. Submits April next year: the review card with Save.
        var submit = CardQuery.FindSubmit(form[0].Card, "expiry")!;
        var review = await TurnAsync("expiry", user, channel.Submit(user, form[0].ActivityId, CardQuery.SubmitValue(submit, ("expiryMonth", "04"), ("expiryYear", NextYear))), recorder, cancellationToken,
            r => CardQuery.HasSubmit(r, "save"));
        if (review is null || turns == 4) return review is not null;

        // 5. Save: the review card is updated in place (buttons gone) and the receipt follows.
        var save = CardQuery.FindSubmit(review[0].Card, "save")!;
        var reviewId = review[0].ActivityId;
        var done = await TurnAsync("save", user, channel.Submit(user, reviewId, CardQuery.SubmitValue(save)), recorder, cancellationToken,
            r => r.Method == "PUT" && r.ActivityId == reviewId,
            r => r.Method == "POST" && r.Activity.ToJsonString().Contains(ReceiptText, StringComparison.Ordinal));
        return done is not null;
    }

    private async Task<Received[]?> TurnAsync(string step, TeamsUser user, JsonObject activity, TurnRecorder recorder, CancellationToken cancellationToken, params Func<Received, bool>[] expected)
    {
        if (think > TimeSpan.Zero) await Task.Delay(think, cancellationToken).ConfigureAwait(false);
        var inbox = connector.InboxOf(user.ConversationId);
        var from = inbox.Count;
        var post = await channel.PostAsync(activity, turnTimeout, cancellationToken).ConfigureAwait(false);
        if (post.Status != 200)
        {
            recorder.Error(step, post.Error ?? $"HTTP {post.Status}");
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(turnTimeout);
        var found = new Received[expected.Length];
        try
        {
            for (var i = 0; i < expected.Length; i++)
            {
                found[i] = await inbox.WaitForAsync(from, expected[i], timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            recorder.Error(step, $"the expected reply did not arrive within {turnTimeout.TotalSeconds:0} s");
            return null;
        }

        recorder.Turn(step, post.StartedAt, post.CompletedAt, found.Max(r => r.ArrivedAt));
        return found;
    }
}
