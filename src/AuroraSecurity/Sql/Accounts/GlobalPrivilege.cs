namespace AuroraSecurity.Sql.Accounts
{
    /// <summary>One privilege an account holds on *.* (information_schema.USER_PRIVILEGES).</summary>
    public sealed class GlobalPrivilege
    {
        /// <summary>Describes one global privilege of one account.</summary>
        public GlobalPrivilege(string user, string host, string privilege, bool grantable)
        {
            User = user;
            Host = host;
            Privilege = privilege;
            Grantable = grantable;
        }

        /// <summary>The user name.</summary>
        public string User { get; }

        /// <summary>The host pattern.</summary>
        public string Host { get; }

        /// <summary>The privilege as the server names it ("SUPER", "CREATE USER", "CONNECTION_ADMIN").</summary>
        public string Privilege { get; }

        /// <summary>True when the account may grant it to others (WITH GRANT OPTION).</summary>
        public bool Grantable { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Privilege} to '{User}'@'{Host}'";
    }
}
