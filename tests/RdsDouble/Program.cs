// Entry point of the RDS API double; see RdsDoubleServer for the server itself.
Console.WriteLine("RdsDouble: not implemented yet");
