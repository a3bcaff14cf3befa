using System.Text.Json;
using System.Text.Json.Serialization;
using PastDueBot.Domain.Billing;

namespace PastDueBot.Storage.Billing;

/// <summary>The demo ledger's stored payment results: web casing, enums by name (as written before this was generated).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PaymentResult))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
