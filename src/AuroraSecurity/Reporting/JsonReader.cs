using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AuroraSecurity.Reporting
{
    /// <summary>Reads JSON text into dictionaries (key order kept), lists, strings, doubles, booleans and nulls; errors name the line and column.</summary>
    public sealed class JsonReader
    {
        private readonly string _text;
        private int _position;

        private JsonReader(string text)
        {
            _text = text;
        }

        /// <summary>The value the text holds; a FormatException says where the text stops being JSON.</summary>
        public static object? Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var reader = new JsonReader(text);
            reader.SkipSpace();
            if (reader._position < text.Length && text[reader._position] == '\uFEFF') reader._position++;
            var value = reader.ReadValue();
            reader.SkipSpace();
            if (reader._position != text.Length) throw reader.Error("text after the end of the JSON value");
            return value;
        }

        private object? ReadValue()
        {
            SkipSpace();
            if (_position >= _text.Length) throw Error("the text ends where a value should be");
            var c = _text[_position];
            switch (c)
            {
                case '{': return ReadObject();
                case '[': return ReadArray();
                case '"': return ReadString();
                case 't': return ReadWord("true", true);
                case 'f': return ReadWord("false", false);
                case 'n': return ReadWord("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                    throw Error($"unexpected '{c}'");
            }
        }

        private Dictionary<string, object?> ReadObject()
        {
            var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            _position++;
            SkipSpace();
            if (Peek() == '}')
            {
                _position++;
                return map;
            }

            while (true)
            {
                SkipSpace();
                if (Peek() != '"') throw Error("a property name in double quotes was expected");
                var key = ReadString();
                if (map.ContainsKey(key)) throw Error($"the property '{key}' appears twice");
                SkipSpace();
                Expect(':');
                map[key] = ReadValue();
                SkipSpace();
                var next = Peek();
                _position++;
                if (next == '}') return map;
                if (next != ',') throw Error("',' or '}' was expected", _position - 1);
            }
        }

        private List<object?> ReadArray()
        {
            var list = new List<object?>();
            _position++;
            SkipSpace();
            if (Peek() == ']')
            {
                _position++;
                return list;
            }

            while (true)
            {
                list.Add(ReadValue());
                SkipSpace();
                var next = Peek();
                _position++;
                if (next == ']') return list;
                if (next != ',') throw Error("',' or ']' was expected", _position - 1);
            }
        }

        private string ReadString()
        {
            var start = _position;
            _position++;
            var text = new StringBuilder();
            while (true)
            {
                if (_position >= _text.Length) throw Error("a string is not closed", start);
                var c = _text[_position++];
                if (c == '"') return text.ToString();
                if (c < 0x20) throw Error("a control character inside a string", _position - 1);
                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }

                if (_position >= _text.Length) throw Error("a string is not closed", start);
                var escape = _text[_position++];
                switch (escape)
                {
                    case '"': text.Append('"'); break;
                    case '\\': text.Append('\\'); break;
                    case '/': text.Append('/'); break;
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > _text.Length || !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            throw Error("\\u must be followed by four hexadecimal digits", _position - 2);
                        }

                        text.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        throw Error($"unknown escape '\\{escape}'", _position - 2);
                }
            }
        }

        private double ReadNumber()
        {
            var start = _position;
            while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0) _position++;
            var token = _text.Substring(start, _position - start);
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw Error($"'{token}' is not a number", start);
            return value;
        }

        private object? ReadWord(string word, object? value)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0) throw Error($"unexpected '{_text[_position]}'");
            _position += word.Length;
            return value;
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"'{c}' was expected");
            _position++;
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\r' || _text[_position] == '\n')) _position++;
        }

        private FormatException Error(string what, int? at = null)
        {
            var position = Math.Min(at ?? _position, _text.Length);
            var line = 1;
            var column = 1;
            for (var i = 0; i < position; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new FormatException($"not valid JSON at line {line}, column {column}: {what}");
        }
    }
}
