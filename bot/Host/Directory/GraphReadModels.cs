using Microsoft.Kiota.Abstractions.Serialization;

namespace PastDueBot.Host.Directory;

// The few fields the directory reads from Graph, as Kiota models the Graph SDK's request adapter parses into.
// The SDK's own models (User, UnifiedRoleAssignment) are not used: their parsers reach every Graph entity through
// navigation properties and the DirectoryObject discriminator, which put 2,700 model types into the Native AOT
// build for four fields read here. Fields Graph adds are ignored, as the SDK's models would keep them unread.

/// <summary>A user as <c>GET /users/{id}?$select=id,displayName,userPrincipalName,mail</c> returns it, or a
/// role assignment's expanded principal, whose <c>@odata.type</c> says whether it is a user at all.</summary>
internal sealed class GraphPrincipal : IParsable
{
    public const string UserType = "#microsoft.graph.user";

    public string? ODataType { get; set; }

    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? Mail { get; set; }

    public static GraphPrincipal Create(IParseNode node) => new();

    public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>
    {
        ["@odata.type"] = n => ODataType = n.GetStringValue(),
        ["id"] = n => Id = n.GetStringValue(),
        ["displayName"] = n => DisplayName = n.GetStringValue(),
        ["userPrincipalName"] = n => UserPrincipalName = n.GetStringValue(),
        ["mail"] = n => Mail = n.GetStringValue(),
    };

    public void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue("@odata.type", ODataType);
        writer.WriteStringValue("id", Id);
        writer.WriteStringValue("displayName", DisplayName);
        writer.WriteStringValue("userPrincipalName", UserPrincipalName);
        writer.WriteStringValue("mail", Mail);
    }
}

/// <summary>One item of <c>GET /roleManagement/directory/roleAssignments</c>.</summary>
internal sealed class GraphRoleAssignment : IParsable
{
    public string? RoleDefinitionId { get; set; }

    public string? DirectoryScopeId { get; set; }

    /// <summary>Present with <c>$expand=principal</c>.</summary>
    public GraphPrincipal? Principal { get; set; }

    public static GraphRoleAssignment Create(IParseNode node) => new();

    public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>
    {
        ["roleDefinitionId"] = n => RoleDefinitionId = n.GetStringValue(),
        ["directoryScopeId"] = n => DirectoryScopeId = n.GetStringValue(),
        ["principal"] = n => Principal = n.GetObjectValue(GraphPrincipal.Create),
    };

    public void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue("roleDefinitionId", RoleDefinitionId);
        writer.WriteStringValue("directoryScopeId", DirectoryScopeId);
        writer.WriteObjectValue("principal", Principal);
    }
}

/// <summary>A page of role assignments, with the link to the next page while there is one.</summary>
internal sealed class GraphRoleAssignmentPage : IParsable
{
    public List<GraphRoleAssignment>? Value { get; set; }

    public string? ODataNextLink { get; set; }

    public static GraphRoleAssignmentPage Create(IParseNode node) => new();

    public IDictionary<string, Action<IParseNode>> GetFieldDeserializers() => new Dictionary<string, Action<IParseNode>>
    {
        ["value"] = n => Value = n.GetCollectionOfObjectValues(GraphRoleAssignment.Create)?.ToList(),
        ["@odata.nextLink"] = n => ODataNextLink = n.GetStringValue(),
    };

    public void Serialize(ISerializationWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCollectionOfObjectValues("value", Value);
        writer.WriteStringValue("@odata.nextLink", ODataNextLink);
    }
}
