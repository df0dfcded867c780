using System.ComponentModel;
using System.Globalization;

namespace Canary.Analysis.Traffic.Internal;

/// <summary>
/// Turns a preset's name into the preset when configuration is bound (<c>"Convention": "Istio"</c>): without it the
/// configuration binder would leave the default convention in place and say nothing. Names match whatever their case and
/// dashes (<c>istio</c>, <c>Istio</c>, <c>nginx-ingress</c>, <c>NginxIngress</c>); any other name is an error listing the presets.
/// </summary>
internal sealed class TrafficConventionConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string name)
        {
            return base.ConvertFrom(context, culture, value);
        }

        var key = Key(name);
        return TrafficConvention.Presets.FirstOrDefault(preset => Key(preset.Name) == key)
            ?? throw new FormatException($"'{name}' is not a traffic convention preset; the presets are {string.Join(", ", TrafficConvention.Presets.Select(p => p.Name))}.");
    }

    private static string Key(string name) => new([.. name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
}
