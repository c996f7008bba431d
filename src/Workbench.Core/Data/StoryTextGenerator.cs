using System.Text;

namespace Workbench.Data;

/// <summary>
/// Writes the project's own English text for language modelling: short scenes of dialogue in a play-like layout
/// (a speaker's name in capitals and a colon on its own line, then what they say, a blank line between speeches),
/// built from templates and word lists. It reads like plain English, so a character model's samples are easy to
/// judge, and it is deterministic from a seed.
/// </summary>
public static class StoryTextGenerator
{
    private static readonly string[] Speakers = ["MARA", "OREN", "TALLY", "BRAM", "ISOLDE", "FENN", "NELL", "CORIN"];
    private static readonly string[] Places = ["the mill", "the harbour", "the old bridge", "the orchard", "the lighthouse", "the market", "the chapel", "the forge", "the hill road", "the river bank", "the inn", "the north field"];
    private static readonly string[] Things = ["the lantern", "the boat", "the letter", "the key", "the bread", "the net", "the ring", "the map", "the bell", "the coat", "the horse", "the ledger"];
    private static readonly string[] Times = ["at dawn", "before noon", "at dusk", "tonight", "tomorrow", "this morning", "after the rain", "when the bell rings"];
    private static readonly string[] Weather = ["cold", "grey", "still", "bright", "wet", "warm", "dark", "clear"];
    private static readonly string[] Elements = ["the river", "the sea", "the sky", "the wind", "the road", "the field", "the town", "the house"];
    private static readonly string[] Feelings = ["afraid", "tired", "glad", "certain", "uneasy", "hungry", "patient", "angry"];
    private static readonly string[] PastVerbs = ["left", "found", "saw", "lost", "hid", "mended", "sold", "carried"];
    private static readonly string[] Verbs = ["bring", "find", "mend", "carry", "watch", "keep", "open", "sell"];
    private static readonly string[] Kin = ["my brother", "your father", "the miller", "the captain", "old Hester", "the smith", "my mother", "the priest"];

    private static readonly string[] Templates =
    [
        "{Element} is {weather} {time}, and the lamps are low.",
        "Where did you leave {thing}?",
        "I {past} {thing} by {place}.",
        "I {past} it near {place}, {time}.",
        "Will you {verb} {thing} to {place} {time}?",
        "{Kin} says we must {verb} {thing} before the frost.",
        "I am {feeling}, and {element} is {weather}.",
        "Do not be {feeling}. {Kin} will come {time}.",
        "Who {past} {thing}?",
        "Nobody {past} it. It was at {place} all along.",
        "Then go to {place} and {verb} {thing}.",
        "I will, though {element} is {weather} and I am {feeling}.",
        "Listen. Something moves by {place}.",
        "It is only {element}. Sleep now.",
        "{Kin} {past} {thing} {time} and said nothing.",
        "Why are you {feeling}?",
        "Because {thing} is gone, and {kin} is not home.",
        "We will {verb} {thing} together {time}.",
        "Good. Meet me at {place}.",
        "The road to {place} is long, and {element} is {weather}.",
        "Say that again, slowly.",
        "I said that {kin} {past} {thing}.",
        "Then we are lucky.",
        "Or we are fools.",
    ];

    /// <summary>
    /// Generates about <paramref name="approximateCharacters"/> characters of text from <paramref name="seed"/>
    /// (whole scenes, so a little more). Only ASCII letters, digits, punctuation, space and '\n' appear.
    /// </summary>
    public static string Generate(int approximateCharacters, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(approximateCharacters, 1);
        var random = new Random(seed);
        var sb = new StringBuilder();
        int scene = 1;
        while (sb.Length < approximateCharacters)
        {
            sb.Append("SCENE ").Append(scene++).Append(". ").Append(Capitalize(Pick(random, Places))).Append(", ").Append(Pick(random, Times)).Append(".\n\n");
            string a = Pick(random, Speakers), b;
            do b = Pick(random, Speakers); while (b == a);
            int speeches = random.Next(6, 12);
            for (int s = 0; s < speeches; s++)
            {
                sb.Append(s % 2 == 0 ? a : b).Append(":\n");
                int lines = random.Next(1, 4);
                for (int l = 0; l < lines; l++) sb.Append(Fill(Pick(random, Templates), random)).Append('\n');
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string Fill(string template, Random random)
    {
        var sb = new StringBuilder(template);
        Replace("{Element}", () => Capitalize(Pick(random, Elements)));
        Replace("{element}", () => Pick(random, Elements));
        Replace("{Kin}", () => Capitalize(Pick(random, Kin)));
        Replace("{kin}", () => Pick(random, Kin));
        Replace("{thing}", () => Pick(random, Things));
        Replace("{place}", () => Pick(random, Places));
        Replace("{time}", () => Pick(random, Times));
        Replace("{weather}", () => Pick(random, Weather));
        Replace("{feeling}", () => Pick(random, Feelings));
        Replace("{past}", () => Pick(random, PastVerbs));
        Replace("{verb}", () => Pick(random, Verbs));
        return sb.ToString();

        void Replace(string slot, Func<string> value)
        {
            string text = sb.ToString();
            int at;
            while ((at = text.IndexOf(slot, StringComparison.Ordinal)) >= 0)
            {
                text = string.Concat(text.AsSpan(0, at), value(), text.AsSpan(at + slot.Length));
            }
            sb.Clear().Append(text);
        }
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
