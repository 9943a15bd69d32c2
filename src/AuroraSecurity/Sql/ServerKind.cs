namespace AuroraSecurity.Sql
{
    /// <summary>Which server answered: Aurora MySQL is recognised by AURORA_VERSION().</summary>
    public enum ServerKind
    {
        /// <summary>Amazon Aurora MySQL.</summary>
        AuroraMySql,

        /// <summary>MySQL that is not Aurora.</summary>
        MySql,

        /// <summary>MariaDB (the local sandbox).</summary>
        MariaDb,
    }
}
