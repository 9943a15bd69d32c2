# Validates BatchImportFindings input documents against botocore's Security Hub service model, an independent
# description of the API. Arguments: JSON files, each {"Findings": [...]}. Prints "ok <n>" per file or the errors.
import json
import sys

import botocore.session
from botocore.validate import ParamValidator

model = botocore.session.get_session().get_service_model('securityhub')
shape = model.operation_model('BatchImportFindings').input_shape
failed = False
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        document = json.load(f)
    report = ParamValidator().validate(document, shape)
    limit = shape.members['Findings'].metadata.get('max')
    if report.has_errors():
        failed = True
        print('invalid ' + path + ': ' + report.generate_report())
    elif limit is not None and len(document['Findings']) > limit:
        failed = True
        print('invalid ' + path + ': %d findings, the model allows %d' % (len(document['Findings']), limit))
    else:
        print('ok %d' % len(document['Findings']))
sys.exit(1 if failed else 0)
