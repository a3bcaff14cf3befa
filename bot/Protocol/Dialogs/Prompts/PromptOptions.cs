using System.Text.Json.Nodes;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>What a prompt sends and accepts (SDK: PromptOptions). Persisted as JSON in the prompt's state.</summary>
public sealed class PromptOptions
{
    private Activity? _prompt;
    private Activity? _retryPrompt;

    // Stored options keep their activities as JSON until asked for: a prompt that gets valid input needs only its
    // prompt id, and reading a card back into an activity was the dearest part of every turn a prompt continued.
    private JsonNode? _storedPrompt;
    private JsonNode? _storedRetryPrompt;

    /// <summary>The first question (text, or a message with a card attachment).</summary>
    public Activity? Prompt
    {
        get => _storedPrompt is null ? _prompt : _prompt = ReadStored(ref _storedPrompt);
        set => (_prompt, _storedPrompt) = (value, null);
    }

    /// <summary>Sent instead of <see cref="Prompt"/> after invalid input; when null the prompt is repeated.</summary>
    public Activity? RetryPrompt
    {
        get => _storedRetryPrompt is null ? _retryPrompt : _retryPrompt = ReadStored(ref _storedRetryPrompt);
        set => (_retryPrompt, _storedRetryPrompt) = (value, null);
    }

    /// <summary>The choices of a <see cref="ChoicePrompt"/>.</summary>
    public List<Choice>? Choices { get; set; }

    /// <summary>Extra data for the validator (e.g. <c>{"min":1}</c>); read it with <see cref="GetValidations{T}"/>.</summary>
    public JsonNode? Validations { get; set; }

    /// <summary>
    /// <see cref="CardSubmitPrompt"/> only: identifies the card of this prompt. The prompt stamps it as <c>promptId</c> into
    /// the data of every Action.Submit / Action.Execute of the prompt's Adaptive Cards, and a submit carrying another id is
    /// reported as stale. When null the prompt generates one.
    /// </summary>
    public string? PromptId { get; set; }

    public T? GetValidations<T>() => DialogJson.Read<T>(Validations);

    /// <summary>
    /// A copy a prompt can prepare and send without changing this one: the activities are copied as far as preparing
    /// (a card stamp replaces an attachment's content) and sending (addressing sets top-level properties) reach.
    /// </summary>
    internal PromptOptions CopyForPrompt() => new()
    {
        Prompt = Prompt?.ShallowCopy(),
        RetryPrompt = RetryPrompt?.ShallowCopy(),
        Choices = Choices is null ? null : [.. Choices],
        Validations = Validations?.DeepClone(),
        PromptId = PromptId,
    };

    /// <summary>
    /// The options as a prompt stored them (<see cref="DialogJson.ToNode"/>): the same values a full read gives, with
    /// each activity read from <paramref name="stored"/> only when first asked for, as a new object.
    /// </summary>
    internal static PromptOptions FromStored(JsonObject stored)
    {
        var names = DialogJson.Options.PropertyNamingPolicy;
        JsonNode? Stored(string property) => stored[names?.ConvertName(property) ?? property];

        var options = new PromptOptions
        {
            Choices = DialogJson.Read<List<Choice>>(Stored(nameof(Choices))),
            Validations = Stored(nameof(Validations))?.DeepClone(),
            PromptId = DialogJson.Read<string>(Stored(nameof(PromptId))),
        };
        options._storedPrompt = Stored(nameof(Prompt));
        options._storedRetryPrompt = Stored(nameof(RetryPrompt));
        return options;
    }

    private static Activity? ReadStored(ref JsonNode? stored)
    {
        var activity = DialogJson.Read<Activity>(stored);
        stored = null;
        return activity;
    }

    /// <summary>Options whose prompt is a plain text message.</summary>
    public static PromptOptions FromText(string prompt, string? retryPrompt = null) => new()
    {
        Prompt = Activity.CreateMessageActivity(prompt),
        RetryPrompt = retryPrompt is null ? null : Activity.CreateMessageActivity(retryPrompt),
    };
}
