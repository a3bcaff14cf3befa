using System.Text.Json.Serialization;

namespace PastDueBot.Cards.Model;

// Enum names are the Adaptive Cards spellings; CardJson writes them as strings.
public enum Spacing { None, Small, Default, Medium, Large, ExtraLarge, Padding }
public enum TextWeight { Lighter, Default, Bolder }
public enum TextSize { Small, Default, Medium, Large, ExtraLarge }
public enum TextColor { Default, Dark, Light, Accent, Good, Warning, Attention }
public enum TextBlockStyle { Default, Heading }
public enum HorizontalAlignment { Left, Center, Right }
public enum VerticalAlignment { Top, Center, Bottom }
public enum ImageSize { Auto, Stretch, Small, Medium, Large }
public enum ImageStyle { Default, Person }
public enum ContainerStyle { Default, Emphasis, Good, Attention, Warning, Accent }
public enum ActionStyle { Default, Positive, Destructive }

public enum TextInputStyle
{
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("tel")] Tel,
    [JsonStringEnumMemberName("email")] Email,
    [JsonStringEnumMemberName("url")] Url,
    [JsonStringEnumMemberName("password")] Password,
}

public enum ChoiceInputStyle
{
    [JsonStringEnumMemberName("compact")] Compact,
    [JsonStringEnumMemberName("expanded")] Expanded,
}

public enum AssociatedInputs
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("none")] None,
}
