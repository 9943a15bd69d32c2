using System;
using System.Collections.Generic;
using System.Globalization;

namespace AuroraSecurity.Secrets
{
    /// <summary>One member of a JSON object read by <see cref="SecretJson"/>: a string (its characters in a buffer the owner clears), or another kind of value.</summary>
    internal sealed class SecretJsonMember
    {
        public SecretJsonMember(string kind, char[]? characters, string? number, IReadOnlyList<string>? strings = null)
        {
            Kind = kind;
            Characters = characters;
            Number = number;
            Strings = strings;
        }

        /// <summary>The items of an array whose items are all strings (names and labels, never a secret); null otherwise.</summary>
        public IReadOnlyList<string>? Strings { get; }

        /// <summary>string, number, object, array, true, false or null.</summary>
        public string Kind { get; }

        /// <summary>The unescaped characters of a string value; null for other kinds.</summary>
        public char[]? Characters { get; }

        /// <summary>The text of a number value; null for other kinds.</summary>
        public string? Number { get; }

        public string? Text => Characters == null ? null : new string(Characters);

        public void Clear()
        {
            if (Characters != null) Array.Clear(Characters, 0, Characters.Length);
        }
    }

    /// <summary>
    /// Reads the top-level members of a JSON object from a character buffer without making strings of its values, so a secret's
    /// characters live only in buffers that are cleared after use. Nested objects and arrays are checked and skipped. A failure
    /// says where the text stops being JSON, never what it holds.
    /// </summary>
    internal sealed class SecretJson
    {
        private readonly char[] _text;
        private readonly int _length;
        private readonly bool _keepStringArrays;
        private int _position;

        private SecretJson(char[] text, int length, bool keepStringArrays)
        {
            _text = text;
            _length = length;
            _keepStringArrays = keepStringArrays;
        }

        /// <summary>
        /// The members of the object in <paramref name="text"/> (first <paramref name="length"/> characters); a FormatException when it is not one
        /// JSON object. <paramref name="keepStringArrays"/> keeps arrays of strings as strings: only for answers whose arrays hold no secret.
        /// </summary>
        public static Dictionary<string, SecretJsonMember> ReadObject(char[] text, int length, bool keepStringArrays = false)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var reader = new SecretJson(text, Math.Min(length, text.Length), keepStringArrays);
            var members = new Dictionary<string, SecretJsonMember>(StringComparer.Ordinal);
            try
            {
                reader.SkipSpace();
                if (reader._position < reader._length && text[reader._position] == '\uFEFF') reader._position++;
                reader.SkipSpace();
                reader.Expect('{', "an object");
                reader.SkipSpace();
                if (reader.Peek() == '}')
                {
                    reader._position++;
                }
                else
                {
                    while (true)
                    {
                        reader.SkipSpace();
                        var nameChars = reader.ReadString();
                        var name = new string(nameChars);
                        reader.SkipSpace();
                        reader.Expect(':', "':' after a member name");
                        reader.SkipSpace();
                        var value = reader.ReadMember();
                        if (members.TryGetValue(name, out var earlier)) earlier.Clear();
                        members[name] = value;
                        reader.SkipSpace();
                        var next = reader.Next("',' or '}'");
                        if (next == '}') break;
                        if (next != ',') throw reader.Error("',' or '}' after a member");
                    }
                }

                reader.SkipSpace();
                if (reader._position != reader._length) throw reader.Error("nothing after the end of the object");
                return members;
            }
            catch
            {
                foreach (var member in members.Values) member.Clear();
                throw;
            }
        }

        private SecretJsonMember ReadMember()
        {
            var c = Peek();
            switch (c)
            {
                case '"': return new SecretJsonMember("string", ReadString(), null);
                case '{': SkipComposite('{', '}'); return new SecretJsonMember("object", null, null);
                case '[': return ReadArray();
                case 't': ExpectWord("true"); return new SecretJsonMember("true", null, null);
                case 'f': ExpectWord("false"); return new SecretJsonMember("false", null, null);
                case 'n': ExpectWord("null"); return new SecretJsonMember("null", null, null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return new SecretJsonMember("number", null, ReadNumber());
                    throw Error("a value");
            }
        }

        // An array; its items are kept only when all of them are strings.
        private SecretJsonMember ReadArray()
        {
            Expect('[', "an array");
            var strings = new List<string>();
            var allStrings = _keepStringArrays;
            SkipSpace();
            if (Peek() == ']')
            {
                _position++;
                return new SecretJsonMember("array", null, null, strings);
            }

            while (true)
            {
                SkipSpace();
                if (Peek() == '"' && allStrings)
                {
                    strings.Add(new string(ReadString()));
                }
                else
                {
                    allStrings = false;
                    SkipValue();
                }

                SkipSpace();
                var next = Next("',' or ']'");
                if (next == ']') break;
                if (next != ',') throw Error("',' or ']'");
            }

            return new SecretJsonMember("array", null, null, allStrings ? strings : null);
        }

        private void SkipValue()
        {
            var c = Peek();
            switch (c)
            {
                case '"': var chars = ReadString(); Array.Clear(chars, 0, chars.Length); return;
                case '{': SkipComposite('{', '}'); return;
                case '[': SkipComposite('[', ']'); return;
                default: ReadMember(); return;
            }
        }

        private void SkipComposite(char open, char close)
        {
            Expect(open, open == '{' ? "an object" : "an array");
            SkipSpace();
            if (Peek() == close)
            {
                _position++;
                return;
            }

            while (true)
            {
                SkipSpace();
                if (open == '{')
                {
                    var name = ReadString();
                    Array.Clear(name, 0, name.Length);
                    SkipSpace();
                    Expect(':', "':' after a member name");
                    SkipSpace();
                }

                SkipValue();
                SkipSpace();
                var next = Next("',' or '" + close + "'");
                if (next == close) return;
                if (next != ',') throw Error("',' or '" + close + "'");
            }
        }

        // The unescaped characters of a string, in a buffer of exactly their length; intermediate buffers are cleared.
        private char[] ReadString()
        {
            Expect('"', "a string");
            var buffer = new char[16];
            var count = 0;
            try
            {
                while (true)
                {
                    if (_position >= _length) throw Error("the closing quote of a string");
                    var c = _text[_position++];
                    if (c == '"') break;
                    if (c < ' ') throw Error("no control characters inside a string", _position - 1);
                    if (c == '\\')
                    {
                        if (_position >= _length) throw Error("an escape after '\\'");
                        var e = _text[_position++];
                        switch (e)
                        {
                            case '"': c = '"'; break;
                            case '\\': c = '\\'; break;
                            case '/': c = '/'; break;
                            case 'b': c = '\b'; break;
                            case 'f': c = '\f'; break;
                            case 'n': c = '\n'; break;
                            case 'r': c = '\r'; break;
                            case 't': c = '\t'; break;
                            case 'u':
                                if (_position + 4 > _length) throw Error("four hex digits after '\\u'");
                                var code = 0;
                                for (var i = 0; i < 4; i++)
                                {
                                    var h = _text[_position++];
                                    var digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                                    if (digit < 0) throw Error("four hex digits after '\\u'", _position - 1);
                                    code = code * 16 + digit;
                                }

                                c = (char)code;
                                break;
                            default:
                                throw Error("a valid escape after '\\'", _position - 1);
                        }
                    }

                    if (count == buffer.Length)
                    {
                        var larger = new char[buffer.Length * 2];
                        Array.Copy(buffer, larger, count);
                        Array.Clear(buffer, 0, buffer.Length);
                        buffer = larger;
                    }

                    buffer[count++] = c;
                }

                var exact = new char[count];
                Array.Copy(buffer, exact, count);
                return exact;
            }
            finally
            {
                Array.Clear(buffer, 0, buffer.Length);
            }
        }

        private string ReadNumber()
        {
            var start = _position;
            if (Peek() == '-') _position++;
            while (_position < _length && "0123456789.eE+-".IndexOf(_text[_position]) >= 0) _position++;
            var text = new string(_text, start, _position - start);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) throw Error("a number", start);
            return text;
        }

        private void ExpectWord(string word)
        {
            for (var i = 0; i < word.Length; i++)
            {
                if (_position >= _length || _text[_position] != word[i]) throw Error("'" + word + "'");
                _position++;
            }
        }

        private void Expect(char c, string what)
        {
            if (_position >= _length || _text[_position] != c) throw Error(what);
            _position++;
        }

        private char Next(string what)
        {
            if (_position >= _length) throw Error(what);
            return _text[_position++];
        }

        private char Peek() => _position < _length ? _text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < _length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\r' || _text[_position] == '\n')) _position++;
        }

        // Where, never what: the text may be a secret.
        private FormatException Error(string expected, int? at = null) =>
            new FormatException("not JSON: expected " + expected + " at character " + ((at ?? _position) + 1).ToString(CultureInfo.InvariantCulture) + " of " + _length.ToString(CultureInfo.InvariantCulture));
    }
}
