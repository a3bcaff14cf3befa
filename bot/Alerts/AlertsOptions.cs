namespace PastDueBot.Alerts;

/// <summary>Settings of channel alerts (section <c>Alerts</c>).</summary>
public sealed class AlertsOptions
{
    public const string SectionName = "Alerts";

    /// <summary>How often the billing provider is scanned for subscriptions going past due.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long the scanner lease lasts without renewal. The holder renews it, and the other instances ask for it,
    /// every third of this, so a dead holder's scanning resumes on another instance within about 1⅓ × this.
    /// </summary>
    public TimeSpan ScannerLeaseTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An episode still unpaid this long after its alert (or last reminder) is reminded in its thread.</summary>
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How far Snooze on a reminder pushes the next one.</summary>
    public TimeSpan SnoozeFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Teams allows 50 requests per second per app per tenant; set lower when several instances send. Every attempt
    /// counts, retries included, and each second is counted with a 100 ms margin (see SendLimiter).
    /// </summary>
    public double TenantRequestsPerSecond { get; set; } = 50;

    /// <summary>Teams allows a bot 7 sends per second in one conversation (a channel); its 8/2 s, 60/30 s and 1800/h windows are kept too.</summary>
    public int ThreadRequestsPerSecond { get; set; } = 7;

    /// <summary>
    /// Sends in flight at once in this process. The rate limiter, not this, keeps Teams' limits; it only has to be
    /// high enough that slow answers do not leave the permitted rate unused (50/s with 300 ms answers needs 15).
    /// </summary>
    public int MaxConcurrentSends { get; set; } = 32;

    /// <summary>How often the outbox is polled when nothing signalled new work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A claimed row not yet being sent returns to the pool after this long (its claimer died or stalled).</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A post whose send started but never finished (the process died, or no answer) is "unconfirmed" after this long
    /// and is not sent again: see the README on duplicates. Must exceed the connector's attempt timeout.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Delivery attempts per outbox row, each a single HTTP request, before it is given up.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First backoff of the outbox after a failed attempt; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Run the scanner and the dispatcher in this process (turn off for a web-only instance).</summary>
    public bool BackgroundEnabled { get; set; } = true;
}
