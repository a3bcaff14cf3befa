namespace PastDueBot.Protocol.Connector;

/// <summary>
/// The Bot Connector v3 routes, relative to a serviceUrl. Ids are escaped as whole path segments:
/// Teams ids carry ':' ';' '@' '=' (e.g. <c>19:abc@thread.tacv2;messageid=123</c>).
/// </summary>
public static class ConnectorRoutes
{
    /// <summary>The serviceUrl as a base that keeps its path (<c>…/teams/</c>), with or without a trailing slash.</summary>
    public static Uri BaseOf(string serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The serviceUrl must be an absolute http(s) URL.", nameof(serviceUrl));
        }

        var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty };
        if (!builder.Path.EndsWith('/')) builder.Path += "/";
        return builder.Uri;
    }

    public static string Conversations() => "v3/conversations";

    public static string Activities(string conversationId) => $"v3/conversations/{Segment(conversationId)}/activities";

    public static string Activity(string conversationId, string activityId) => $"{Activities(conversationId)}/{Segment(activityId)}";

    public static string Members(string conversationId) => $"v3/conversations/{Segment(conversationId)}/members";

    public static string Member(string conversationId, string memberId) => $"{Members(conversationId)}/{Segment(memberId)}";

    public static string PagedMembers(string conversationId, int? pageSize, string? continuationToken)
    {
        var query = new List<string>(2);
        if (pageSize is { } size) query.Add($"pageSize={size}");
        if (!string.IsNullOrEmpty(continuationToken)) query.Add($"continuationToken={Uri.EscapeDataString(continuationToken)}");
        var path = $"v3/conversations/{Segment(conversationId)}/pagedmembers";
        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    private static string Segment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }
}
