using System.Text.Json.Nodes;
using PastDueBot.Protocol.Schema;

namespace PastDueBot.Protocol.Dialogs;

/// <summary>What a prompt sends and accepts (SDK: PromptOptions). Persisted as JSON in the prompt's state.</summary>
public sealed class PromptOptions
{
    /// <summary>The first question (text, or a message with a card attachment).</summary>
    public Activity? Prompt { get; set; }

    /// <summary>Sent instead of <see cref="Prompt"/> after invalid input; when null the prompt is repeated.</summary>
    public Activity? RetryPrompt { get; set; }

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

    /// <summary>Options whose prompt is a plain text message.</summary>
    public static PromptOptions FromText(string prompt, string? retryPrompt = null) => new()
    {
        Prompt = Activity.CreateMessageActivity(prompt),
        RetryPrompt = retryPrompt is null ? null : Activity.CreateMessageActivity(retryPrompt),
    };
}
