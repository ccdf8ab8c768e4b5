import { activityLogContract } from './activity-log.contract';
import { inMemoryActivityLogHarness } from './in-memory-activity-log';

activityLogContract('in-memory', inMemoryActivityLogHarness);
