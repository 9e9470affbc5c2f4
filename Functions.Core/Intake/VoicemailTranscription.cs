using System.Globalization;
using System.Xml;
using Ardalis.Result;
using Escalation.Core.Tickets;

namespace Escalation.Core.Intake;

/// <summary>
/// A transcribed voicemail as the transcription pipeline forwards it (POST /api/intake/voicemail): the call, the
/// recording link, and the Azure AI Speech batch-transcription result. One call id opens at most one ticket.
/// </summary>
public sealed record VoicemailTranscription(
    string? CallId,
    string? CallerNumber,
    string? CalledNumber,
    string? RecordingUrl,
    string? ReceivedAt,
    SpeechTranscriptionResult? Transcription)
{
    public const int IdMaxLength = 500;
    public const int PhoneNumberMaxLength = 50;
    public const int UrlMaxLength = 2000;

    /// <summary>Appended when a transcript is cut to fit the ticket description.</summary>
    public const string TruncationNote = "\n[Transcript truncated; listen to the recording for the rest.]";

    /// <summary>Deserializes the raw body; malformed JSON or a wrong type is an invalid result naming the field.</summary>
    public static Result<VoicemailTranscription> Parse(ReadOnlySpan<byte> json) => WebhookJson.Parse<VoicemailTranscription>(json);

    /// <summary>The raw body to an intake message (<see cref="Parse"/>, then <see cref="ToIntakeMessage"/>).</summary>
    public static Result<IntakeMessage> ReadMessage(ReadOnlySpan<byte> json, double minConfidence)
    {
        var voicemail = Parse(json);
        return voicemail.IsSuccess ? voicemail.Value.ToIntakeMessage(minConfidence) : Result<IntakeMessage>.Invalid(voicemail.ValidationErrors);
    }

    /// <summary>
    /// The intake message: delivery key = the call id, the caller's number as the requester claim (matched against the
    /// directory's phone numbers), the transcript as the description, and the recording link and call facts as details.
    /// An empty transcript is flagged <see cref="TicketFlags.EmptyTranscript"/>; a transcript whose
    /// <see cref="SpeechTranscriptionResult.Confidence">confidence</see> is unknown or below
    /// <paramref name="minConfidence"/> is flagged <see cref="TicketFlags.LowConfidenceTranscript"/>.
    /// </summary>
    public Result<IntakeMessage> ToIntakeMessage(double minConfidence)
    {
        var errors = new FieldErrors();
        errors.Required(CallId, "callId", IdMaxLength);
        errors.Required(CallerNumber, "callerNumber", PhoneNumberMaxLength);
        errors.Optional(CalledNumber, "calledNumber", PhoneNumberMaxLength);
        if (errors.Required(RecordingUrl, "recordingUrl", UrlMaxLength))
        {
            errors.Check(Uri.TryCreate(RecordingUrl!.Trim(), UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp), "recordingUrl",
                "'recordingUrl' must be an absolute http(s) URL.");
        }

        var receivedAt = default(DateTimeOffset);
        errors.Check(ReceivedAt is null || WebhookJson.TryParseTimestamp(ReceivedAt, out receivedAt), "receivedAt",
            "'receivedAt' must be an ISO 8601 date and time, e.g. 2026-11-27T10:00:00Z.");
        if (errors.Check(Transcription is not null, "transcription", "'transcription' (the Azure AI Speech result) is required."))
        {
            Transcription!.Validate(errors);
        }

        if (errors.Any)
        {
            return errors.ToResult<IntakeMessage>();
        }

        var caller = CallerNumber!.Trim();
        var recordingUrl = RecordingUrl!.Trim();
        var details = new Dictionary<string, string>
        {
            ["recordingUrl"] = recordingUrl,
            ["callerNumber"] = caller,
        };
        AddIfPresent(details, "calledNumber", CalledNumber?.Trim());
        AddIfPresent(details, "receivedAt", ReceivedAt is null ? null : receivedAt.ToString("O", CultureInfo.InvariantCulture));
        AddIfPresent(details, "durationSeconds", Transcription!.TotalDuration()?.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture));

        var transcript = Transcription.DisplayText();
        string description;
        var flags = new List<string>();
        if (transcript.Length == 0)
        {
            flags.Add(TicketFlags.EmptyTranscript);
            description = $"The voicemail transcript is empty. Listen to the recording: {recordingUrl}";
        }
        else
        {
            var confidence = Transcription.Confidence();
            AddIfPresent(details, "confidence", confidence?.ToString("0.00", CultureInfo.InvariantCulture));
            if (confidence is null || confidence < minConfidence)
            {
                flags.Add(TicketFlags.LowConfidenceTranscript);
            }

            description = transcript.Length <= IntakeLimits.DescriptionMaxLength
                ? transcript
                : WebhookJson.Cut(transcript, IntakeLimits.DescriptionMaxLength - TruncationNote.Length) + TruncationNote;
        }

        return new IntakeMessage(Channel.Voicemail, CallId!.Trim(), new RequesterClaim(null, caller, Phone: caller),
            $"Voicemail from {caller}", description)
        {
            Flags = flags,
            Details = details,
        };
    }

    private static void AddIfPresent(Dictionary<string, string> details, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            details[key] = value;
        }
    }
}

/// <summary>
/// The parts of an Azure AI Speech batch-transcription result (one result file) that intake reads; other properties
/// (source, timestamp, lexical/itn/maskedITN forms, words, speaker, locale) are ignored.
/// </summary>
public sealed record SpeechTranscriptionResult(
    double? DurationInTicks,
    string? Duration,
    IReadOnlyList<CombinedRecognizedPhrase?>? CombinedRecognizedPhrases,
    IReadOnlyList<RecognizedPhrase?>? RecognizedPhrases)
{
    /// <summary>
    /// The display text: the combined phrases' display forms in channel order; without any, the best display form of
    /// each recognized phrase in order of offset. Empty when nothing was recognized.
    /// </summary>
    public string DisplayText()
    {
        var combined = (CombinedRecognizedPhrases ?? [])
            .OfType<CombinedRecognizedPhrase>()
            .Where(p => !string.IsNullOrWhiteSpace(p.Display))
            .OrderBy(p => p.Channel ?? 0)
            .Select(p => p.Display!.Trim())
            .ToList();
        if (combined.Count > 0)
        {
            return string.Join("\n", combined);
        }

        return string.Join(" ", Recognized()
            .OrderBy(p => p.Channel ?? 0).ThenBy(p => p.OffsetTime() ?? TimeSpan.Zero)
            .Select(p => p.Best()?.Display?.Trim())
            .Where(d => !string.IsNullOrEmpty(d)));
    }

    /// <summary>
    /// How sure the recognizer is of the whole transcript, 0..1: the mean of each recognized phrase's best n-best
    /// confidence, weighted by the phrase's duration (a long phrase heard badly matters more than a short "thanks");
    /// when a phrase has no duration, the plain mean. Null when no phrase carries a confidence.
    /// </summary>
    public double? Confidence()
    {
        var scored = Recognized()
            .Select(p => (Confidence: p.Best()?.Confidence, Weight: p.DurationTime()?.TotalSeconds))
            .Where(p => p.Confidence is not null)
            .ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var totalWeight = scored.Sum(p => p.Weight ?? 0);
        return scored.TrueForAll(p => p.Weight > 0) && totalWeight > 0
            ? scored.Sum(p => p.Confidence!.Value * p.Weight!.Value) / totalWeight
            : scored.Average(p => p.Confidence!.Value);
    }

    /// <summary>The recording's length: durationInTicks, else the ISO 8601 duration; null when neither is usable.</summary>
    public TimeSpan? TotalDuration() => SpeechTime.FromTicks(DurationInTicks) ?? SpeechTime.FromIso(Duration);

    internal void Validate(FieldErrors errors)
    {
        var phrases = RecognizedPhrases ?? [];
        for (var i = 0; i < phrases.Count; i++)
        {
            var nBest = phrases[i]?.NBest ?? [];
            for (var j = 0; j < nBest.Count; j++)
            {
                if (nBest[j]?.Confidence is { } confidence)
                {
                    errors.Check(double.IsFinite(confidence) && confidence is >= 0 and <= 1,
                        $"transcription.recognizedPhrases[{i}].nBest[{j}].confidence", "A confidence is a number from 0 to 1.");
                }
            }
        }
    }

    private IEnumerable<RecognizedPhrase> Recognized() =>
        (RecognizedPhrases ?? []).OfType<RecognizedPhrase>().Where(p => p.Succeeded);
}

/// <summary>The whole transcript of one audio channel.</summary>
public sealed record CombinedRecognizedPhrase(int? Channel, string? Display);

/// <summary>One recognized phrase with its alternatives (n-best), best first.</summary>
public sealed record RecognizedPhrase(
    string? RecognitionStatus,
    int? Channel,
    string? Offset,
    string? Duration,
    double? OffsetInTicks,
    double? DurationInTicks,
    IReadOnlyList<NBestRecognition?>? NBest)
{
    /// <summary>"Success"; other statuses (NoMatch, InitialSilenceTimeout, BabbleTimeout, Error) carry no usable text.</summary>
    public bool Succeeded => RecognitionStatus is null || RecognitionStatus.Equals("Success", StringComparison.OrdinalIgnoreCase);

    /// <summary>The alternative with the highest confidence (the service lists it first, but order is not relied on).</summary>
    public NBestRecognition? Best() =>
        (NBest ?? []).OfType<NBestRecognition>().OrderByDescending(n => n.Confidence ?? double.MinValue).FirstOrDefault();

    public TimeSpan? OffsetTime() => SpeechTime.FromTicks(OffsetInTicks) ?? SpeechTime.FromIso(Offset);

    public TimeSpan? DurationTime() => SpeechTime.FromTicks(DurationInTicks) ?? SpeechTime.FromIso(Duration);
}

public sealed record NBestRecognition(double? Confidence, string? Display);

/// <summary>Speech results give times both as ticks (100 ns) and as ISO 8601 durations ("PT12.34S").</summary>
internal static class SpeechTime
{
    /// <summary>About 3,000 years: beyond it a tick count is garbage, and converting it would overflow.</summary>
    private const double MaxTicks = 1e17;

    public static TimeSpan? FromTicks(double? ticks) =>
        ticks is { } value && double.IsFinite(value) && value is >= 0 and < MaxTicks ? TimeSpan.FromTicks((long)value) : null;

    public static TimeSpan? FromIso(string? duration)
    {
        if (string.IsNullOrWhiteSpace(duration))
        {
            return null;
        }

        try
        {
            var value = XmlConvert.ToTimeSpan(duration.Trim());
            return value >= TimeSpan.Zero ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
